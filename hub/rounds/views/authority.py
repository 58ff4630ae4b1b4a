"""An authority's pages in a round: its template, upload with the validation report at once,
its versions with what each changed, and data-quality queries to confirm. Seen by its own
submitters and the hub lead, nobody else (hub.rounds.access)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hub.rounds import access, audit, quality, services
from hub.rounds.forms import ConfirmQueryForm, RejectForm, UploadForm
from hub.rounds.store import open_store
from scorecard.errors import ScorecardError


def _context(request, the_round, code, version=None) -> dict:
    versions = services.versions(the_round, code)
    shown = version if version is not None else (versions[0].version if versions else None)
    return {
        "round": the_round, "code": code, "label": services.label(code),
        "is_lead": access.is_lead(request.user), "versions": versions,
        "shown": next((v for v in versions if v.version == shown), None),
        "problems": services.problems_of(the_round, code, shown) if shown else [],
        "changes": services.changes(code, the_round.period, shown) if shown else [],
        "queries": quality.for_page(open_store(), code, the_round.period),
        "confirm_form": ConfirmQueryForm(), "reject_form": RejectForm(),
        "files": {f.kind: f for f in the_round.published_files.filter(authority=code)},
    }


@login_required
def authority_page(request, round_id: int, code: str):
    the_round = access.authority_round(request.user, round_id, code)
    context = _context(request, the_round, code)
    context["upload_form"] = UploadForm()
    return render(request, "rounds/authority.html", context)


@login_required
def version_page(request, round_id: int, code: str, version: int):
    the_round = access.authority_round(request.user, round_id, code)
    context = _context(request, the_round, code, version)
    if context["shown"] is None:
        raise Http404
    context["figures"] = services.figures_of(the_round, code, version)
    return render(request, "rounds/version.html", context)


@login_required
@require_POST
def upload(request, round_id: int, code: str):
    the_round = access.authority_round(request.user, round_id, code)
    if the_round.published:
        messages.error(request, f"{the_round.period} is published: returns are closed.")
        return redirect("authority", round_id=the_round.pk, code=code)
    form = UploadForm(request.POST, request.FILES,
                      too_large=getattr(request, "upload_too_large", False))
    if not form.is_valid():
        if form.too_large:
            audit.record(request, audit.UPLOAD_REFUSED, round=the_round, authority=code,
                         detail="over the size limit")
        context = _context(request, the_round, code)
        context["upload_form"] = form
        return render(request, "rounds/authority.html", context, status=400)
    uploaded = form.cleaned_data["file"]
    path, sha256 = services.save_upload(the_round, code, uploaded)
    outcome = services.submit(the_round, code, path, sha256, uploaded.name)
    stored = outcome.version is not None
    audit.record(request, audit.UPLOAD if stored else audit.UPLOAD_REFUSED, round=the_round,
                 authority=code, version=outcome.version, file_name=outcome.file_name,
                 sha256=sha256, detail=f"{outcome.state}: {outcome.message}")
    errors = any(p["severity"] == "error" for p in outcome.problems)
    level = {"stored": messages.WARNING if errors else messages.SUCCESS,
             "quarantined": messages.WARNING, "duplicate": messages.INFO}.get(outcome.state)
    if not stored and outcome.state != "duplicate":
        context = _context(request, the_round, code)
        context.update(upload_form=UploadForm(), refused=outcome)
        return render(request, "rounds/authority.html", context, status=400)
    messages.add_message(request, level, f"{outcome.file_name}: {outcome.message}")
    return redirect("authority", round_id=the_round.pk, code=code)


@login_required
@require_POST
def confirm_query(request, round_id: int, code: str, query_id: int):
    the_round = access.authority_round(request.user, round_id, code)
    store = open_store()
    mine = quality.queries(store, authority=code, period=the_round.period)
    if query_id not in set(mine["id"]):
        raise Http404
    form = ConfirmQueryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the figure is right: a comment is needed to confirm.")
        return redirect("authority", round_id=the_round.pk, code=code)
    try:
        quality.confirm(store, query_id, form.cleaned_data["comment"], request.user.get_username())
    except ScorecardError as error:  # e.g. already answered, or one to correct, not confirm
        messages.error(request, f"Not confirmed: {error}")
    else:
        audit.record(request, audit.CONFIRM_QUERY, round=the_round, authority=code,
                     detail=f"query {query_id}: {form.cleaned_data['comment']}")
        messages.success(request, "Query confirmed with your comment.")
    return redirect("authority", round_id=the_round.pk, code=code)
