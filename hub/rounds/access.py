"""Who may see what: every view asks here, nowhere else.

- A hub lead sees every round, every authority's returns, and judges and publishes.
- A submitter sees only its own authority's returns and figures in rounds it takes part in;
  after publication, the regional benchmark and its own highlighted benchmark and scorecard.
- A viewer sees published rounds and their regional benchmark only.

Anything an account may not see is answered 404 (not 403), so an attacker learns nothing about
which rounds, authorities or versions exist.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from hub.rounds.models import Membership, Round

LEAD, SUBMITTER, VIEWER, NONE = "lead", "submitter", "viewer", "none"


def role(user) -> str:
    if not user.is_authenticated or not user.is_active:
        return NONE
    if user.has_perm("rounds.lead_round"):
        return LEAD
    if user.has_perm("rounds.submit_return") and own_authority(user):
        return SUBMITTER
    if user.has_perm("rounds.view_published"):
        return VIEWER
    return NONE


def own_authority(user) -> str:
    """The authority code a submitter uploads for, or ''."""
    try:
        return user.membership.authority
    except Membership.DoesNotExist:
        return ""


def is_lead(user) -> bool:
    return role(user) == LEAD


def visible_rounds(user):
    """Rounds the user may know about."""
    who = role(user)
    if who == LEAD:
        return Round.objects.all()
    if who == SUBMITTER:
        return Round.objects.filter(participants__authority=own_authority(user))
    if who == VIEWER:
        return Round.objects.filter(published_at__isnull=False)
    return Round.objects.none()


def round_for(user, round_id: int) -> Round:
    return get_object_or_404(visible_rounds(user), pk=round_id)


def lead_round(user, round_id: int) -> Round:
    """A round the hub lead acts on; 404 for anyone else."""
    if not is_lead(user):
        raise Http404
    return get_object_or_404(Round, pk=round_id)


def authority_round(user, round_id: int, code: str) -> Round:
    """A round in which `code` takes part and the user may see `code`'s returns: the lead, or
    one of `code`'s own submitters. 404 otherwise."""
    the_round = round_for(user, round_id)
    who = role(user)
    if who == LEAD or (who == SUBMITTER and own_authority(user) == code):
        if the_round.participants.filter(authority=code).exists():
            return the_round
    raise Http404


def published_round(user, round_id: int) -> Round:
    """A published round whose regional outputs the user may download."""
    the_round = round_for(user, round_id)
    if not the_round.published:
        raise Http404
    return the_round


def published_authority_round(user, round_id: int, code: str) -> Round:
    """A published round with `code`'s own outputs, for `code`'s submitters and the lead."""
    the_round = authority_round(user, round_id, code)
    if not the_round.published:
        raise Http404
    return the_round


def role_context(request) -> dict:
    """Template context: the user's role and authority (for navigation)."""
    return {"hub_role": role(request.user), "hub_authority": own_authority(request.user)
            if request.user.is_authenticated else ""}
