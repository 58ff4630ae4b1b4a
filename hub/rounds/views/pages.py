"""Home, the list of rounds, a round's front page and the audit log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from hub.rounds import access
from hub.rounds.models import AuditEvent


@login_required
def home(request):
    return redirect("round_list")


@login_required
def round_list(request):
    rounds = access.visible_rounds(request.user).prefetch_related("participants")
    return render(request, "rounds/round_list.html", {"rounds": rounds})


@login_required
def round_detail(request, round_id: int):
    """The lead's dashboard; a submitter's own authority page; a viewer's published page."""
    the_round = access.round_for(request.user, round_id)
    who = access.role(request.user)
    if who == access.LEAD:
        return redirect("dashboard", round_id=the_round.pk)
    if who == access.SUBMITTER:
        return redirect("authority", round_id=the_round.pk,
                        code=access.own_authority(request.user))
    return render(request, "rounds/published.html", {"round": the_round})


@login_required
def audit_log(request):
    if not access.is_lead(request.user):
        from django.http import Http404

        raise Http404
    events = AuditEvent.objects.select_related("round")
    action = request.GET.get("action", "")
    if action:
        events = events.filter(action=action)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    actions = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
    return render(request, "rounds/audit.html", {"page": page, "action": action,
                                                 "actions": sorted(actions)})
