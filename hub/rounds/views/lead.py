"""The hub lead's pages: open a round, the live dashboard, accept or reject a quarantined
return, publish."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hub.rounds import access, audit, services
from hub.rounds.forms import OpenRoundForm, PublishForm, RejectForm
from hub.rounds.models import Participant, Round
from scorecard.errors import ScorecardError


@login_required
def open_round(request):
    if not access.is_lead(request.user):
        raise Http404
    form = OpenRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                the_round = Round.objects.create(
                    period=data["period"], title=data["title"],
                    indicator_ids=data["indicator_ids"], deadline=data["deadline"],
                    contact=data["contact"], opened_by=request.user)
                Participant.objects.bulk_create(Participant(round=the_round, authority=code)
                                                for code in data["authorities"])
        except IntegrityError:
            form.add_error("period", f"A round for {data['period']} is already open.")
        else:
            audit.record(request, audit.OPEN_ROUND, round=the_round,
                         detail=f"{the_round.title}; {len(data['indicator_ids'])} indicators; "
                                f"authorities {', '.join(data['authorities'])}; deadline "
                                f"{the_round.deadline:%d %B %Y}")
            messages.success(request, f"Round {the_round.period} opened for "
                                      f"{len(data['authorities'])} authorities.")
            return redirect("dashboard", round_id=the_round.pk)
    return render(request, "rounds/open.html", {"form": form})


@login_required
def dashboard(request, round_id: int):
    the_round = access.lead_round(request.user, round_id)
    rows = services.dashboard(the_round)
    counts = {state: sum(r.state == state for r in rows) for state in (
        services.RETURNED, services.QUARANTINED, services.REJECTED, services.LATE,
        services.AWAITING)}
    return render(request, "rounds/dashboard.html", {
        "round": the_round, "rows": rows, "counts": counts, "publish_form": PublishForm(),
        "files": the_round.published_files.filter(authority="")})


def _version_to_judge(request, round_id: int, code: str, version: int):
    """(round, stored version) for the lead to accept or reject; 404 for anyone else or a
    version that is not there."""
    the_round = access.lead_round(request.user, round_id)
    access.authority_round(request.user, round_id, code)
    row = services.version_row(the_round, code, version)
    if row is None:
        raise Http404
    return the_round, row


def _closed(request, the_round) -> bool:
    if the_round.published:
        messages.error(request, f"{the_round.period} is published: its returns are closed.")
    return the_round.published


@login_required
@require_POST
def accept(request, round_id: int, code: str, version: int):
    the_round, row = _version_to_judge(request, round_id, code, version)
    if _closed(request, the_round):
        return redirect("authority", round_id=the_round.pk, code=code)
    try:
        new = services.accept(the_round, code, version)
    except ScorecardError as error:
        messages.error(request, str(error))
    else:
        audit.record(request, audit.ACCEPT, round=the_round, authority=code, version=version,
                     file_name=services.shown_name(row["file"]), sha256=row["file_sha256"],
                     detail=f"accepted as version {new}")
        messages.success(request, f"Version {version} of {code} accepted: stored again as "
                                  f"version {new}, which is now in use.")
    return redirect("authority", round_id=the_round.pk, code=code)


@login_required
@require_POST
def reject(request, round_id: int, code: str, version: int):
    the_round, row = _version_to_judge(request, round_id, code, version)
    if _closed(request, the_round):
        return redirect("authority", round_id=the_round.pk, code=code)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the reason for rejecting the return (the authority sees it).")
        return redirect("version", round_id=the_round.pk, code=code, version=version)
    try:
        services.reject(the_round, code, version, form.cleaned_data["reason"], request.user)
    except (ScorecardError, IntegrityError) as error:
        messages.error(request, f"Not rejected: {error}")
    else:
        audit.record(request, audit.REJECT, round=the_round, authority=code, version=version,
                     file_name=services.shown_name(row["file"]), sha256=row["file_sha256"],
                     detail=form.cleaned_data["reason"])
        messages.success(request, f"Version {version} of {code} rejected; the authority sees "
                                  "your reason.")
    return redirect("authority", round_id=the_round.pk, code=code)


@login_required
@require_POST
def publish(request, round_id: int):
    the_round = access.lead_round(request.user, round_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tick the box to confirm that the round is to be published.")
    elif the_round.published:
        messages.error(request, f"{the_round.period} is already published.")
    else:
        try:
            made = services.publish(the_round, request.user)
        except ScorecardError as error:
            messages.error(request, f"Not published: {error}")
        else:
            audit.published(request.user, the_round, made, ip=request.META.get("REMOTE_ADDR"))
            messages.success(request, f"{the_round.period} published: {len(made)} workbooks.")
    return redirect("dashboard", round_id=the_round.pk)
