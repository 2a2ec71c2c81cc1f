"""The pages of carrying out a request (rights/changes.py), from the changes panel of the
request's page: correcting a confirmed report (the report's own improve form) or registered
subject, removing items for good, restricting and lifting, and recording that the recipient
of a hand-over was told.

Only the privacy officer (Capability.RIGHTS; 403 for everyone else). A form that comes back
with problems is shown again on a page of its own with each problem at its field and what was
typed kept (400); a refusal without a form (a request that does not allow it, 409) is the
refusal page (core.refusals.RefusalMiddleware).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from baken.accounts.decorators import capability_required
from baken.core.refusals import Refused
from baken.core.roles import Capability
from baken.privacy.removal import RemovalHeld
from baken.reports import editing
from baken.reports.improving import ImproveInvalid, improve_form, improve_from_form
from baken.reports.showing import readable
from baken.subjects.corrections import SubjectStale

from . import changes as rights_changes
from .change_forms import LiftForm, RemovalForm, SubjectCorrectionForm
from .models import HitKind, Request
from .selectors import may_handle


def _back(pk: int, message: str, request, *, anchor: str = "changes"):
    messages.success(request, message)
    return redirect(f"{reverse('rights:detail', args=[pk])}#{anchor}")


def _into(form, refused: Refused) -> None:
    """Each problem at its field (a 404 or 403 is raised again: no form says what is not
    there)."""
    refused.messages_for_form()
    for field, message in refused.problems.items():
        form.add_error(field if field in form.fields else None, str(message))


def _hit_kind(request, pk: int, hit_pk: int) -> str:
    data_request = Request.objects.filter(pk=pk).first() if may_handle(request.user) else None
    hit = data_request.hits.filter(pk=hit_pk).first() if data_request else None
    return hit.kind if hit else ""


@require_http_methods(["GET", "POST"])
@capability_required(Capability.RIGHTS)
def correct(request, pk: int, hit_pk: int):
    """Correct a confirmed report or registered subject: its form, filled with what is held
    now; saved as a new version with the request as its reason."""
    if _hit_kind(request, pk, hit_pk) == HitKind.SUBJECT:
        return _correct_subject(request, pk, hit_pk)
    return _correct_report(request, pk, hit_pk)


def _correct_report(request, pk: int, hit_pk: int):
    data_request, hit, report = rights_changes.report_for_correction(
        actor=request.user, pk=pk, hit_pk=hit_pk
    )
    form = improve_form(report)
    status = 200
    if request.method == "POST":

        def save(*, report, actor, revision, changes: dict, reason, checked):
            return rights_changes.hit_correct_report(
                actor=actor,
                pk=pk,
                hit_pk=hit_pk,
                revision=revision,
                changes=changes,
                reason=reason,
                checked=checked,
            )

        try:
            corrected = improve_from_form(request=request, report=report, save=save)
        except ImproveInvalid as invalid:
            form, status = invalid.form, invalid.status
        except Refused as refused:
            form = improve_form(report, request.POST)
            form.is_valid()
            _into(form, refused)
            status = 400
        else:
            if corrected is None:
                messages.info(request, _("Nothing was changed."))
                return redirect(reverse("rights:correct", args=[pk, hit_pk]))
            return _back(
                pk,
                _("%(item)s is corrected: version %(number)s.")
                % {"item": hit.label, "number": corrected.revision},
                request,
            )
    rights_changes.correction_read(actor=request.user, request=data_request, target=report)
    working = readable(editing.working_data(report), report=report, answers=report.answers)
    context = {
        "data_request": data_request,
        "hit": hit,
        "report": report,
        "working": working,
        "form": form,
    }
    return render(request, "rights/correct_report.html", context, status=status)


def _correct_subject(request, pk: int, hit_pk: int):
    data_request, hit, subject = rights_changes.subject_for_correction(
        actor=request.user, pk=pk, hit_pk=hit_pk
    )
    form = SubjectCorrectionForm(request.POST or None, subject=subject)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                rights_changes.hit_correct_subject(
                    actor=request.user,
                    pk=pk,
                    hit_pk=hit_pk,
                    revision=form.cleaned_data["revision"],
                    changes=form.changes(),
                    reason=form.cleaned_data["reason"],
                )
            except SubjectStale as stale:
                # What was typed stays; sent again, it is based on the version there is now.
                data = request.POST.copy()
                data["revision"] = str(stale.current)
                form = SubjectCorrectionForm(data, subject=subject)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Someone else corrected this subject meanwhile (it is at version "
                        "%(version)s now). Your changes were not saved; they are still in the "
                        "form. Compare them with the subject's history and save again."
                    )
                    % {"version": stale.current},
                )
                status = 409
            except Refused as refused:
                _into(form, refused)
            else:
                return _back(pk, _("%(item)s is corrected.") % {"item": f"#{subject.pk}"}, request)
    rights_changes.correction_read(actor=request.user, request=data_request, target=subject)
    context = {"data_request": data_request, "hit": hit, "subject": subject, "form": form}
    return render(request, "rights/correct_subject.html", context, status=status)


def _request_of(request, pk: int) -> Request:
    """The request for a form page shown again (no read entry: the refused write was the
    officer's own action on it)."""
    data_request = Request.objects.filter(pk=pk).first() if may_handle(request.user) else None
    if data_request is None:
        raise rights_changes.not_found()
    return data_request


@require_POST
@capability_required(Capability.RIGHTS)
def remove(request, pk: int):
    data_request = _request_of(request, pk)
    removable = rights_changes.removable(actor=request.user, request=data_request)
    form = RemovalForm(request.POST, choices=rights_changes.removal_choices(removable))
    if form.is_valid():
        try:
            run = rights_changes.hits_remove(
                actor=request.user, pk=pk, hit_pks=[int(p) for p in form.cleaned_data["items"]]
            )
        except RemovalHeld as held:
            form.add_error("items", str(held.message))
        except Refused as refused:
            _into(form, refused)
        else:
            messages.success(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Removed for good."),
                    reverse("privacy:statement", args=[run.pk]),
                    _("Read the statement of destruction."),
                ),
            )
            return redirect(f"{reverse('rights:detail', args=[pk])}#changes")
    context = {"data_request": data_request, "form": form}
    return render(request, "rights/remove.html", context, status=400)


@require_POST
@capability_required(Capability.RIGHTS)
def restrict(request, pk: int, hit_pk: int):
    hit = rights_changes.hit_restrict(actor=request.user, pk=pk, hit_pk=hit_pk)
    return _back(
        pk,
        _("%(item)s is restricted: nobody sees it until you lift the restriction.")
        % {"item": hit.label},
        request,
    )


@require_POST
@capability_required(Capability.RIGHTS)
def lift(request, pk: int, hit_pk: int):
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            hit = rights_changes.hit_restriction_lift(
                actor=request.user, pk=pk, hit_pk=hit_pk, reason=form.cleaned_data["reason"]
            )
        except Refused as refused:
            _into(form, refused)
        else:
            return _back(
                pk, _("The restriction of %(item)s is lifted.") % {"item": hit.label}, request
            )
    data_request = _request_of(request, pk)
    item = data_request.hits.filter(pk=hit_pk).first()
    if item is None:
        raise rights_changes.not_found()
    context = {"data_request": data_request, "hit": item, "form": form}
    return render(request, "rights/lift.html", context, status=400)


@require_POST
@capability_required(Capability.RIGHTS)
def told(request, pk: int, hit_pk: int, handover_pk: int):
    notice = rights_changes.recipient_told(
        actor=request.user, pk=pk, hit_pk=hit_pk, handover_pk=handover_pk
    )
    return _back(
        pk,
        _("Recorded: %(recipient)s was told.") % {"recipient": notice.handover.recipient},
        request,
    )
