"""Pages for the work inside a case: source research (and the privacy officer's queue of
requests), interventions, hand-overs with their package, and the accountability report."""

import uuid
from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baken.accounts.decorators import capability_required
from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.roles import Capability
from baken.reports.access import int_or_404, report_for
from baken.subjects.selectors import subject_get

from . import tasks_work, work
from .access import CaseAction, case_for
from .models import Consultation, Handover, Intervention, InterventionType, Source, Task
from .pdf import accountability_pdf
from .services import CaseRefused
from .views import _refused, back_to


def _date(posted, field: str):
    """The date in a posted field, as the date picker sends it (yyyy-mm-dd) or as it is
    typed where there is none (dd-mm-yyyy); None when empty; refused when it is not a date
    at all (a five-digit year, 30-02-2026), so the user is not told to give what they gave."""
    value = (posted.get(field) or "").strip()
    if not value:
        return None
    for form in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, form).date()  # noqa: DTZ007 (a day, no time)
        except ValueError:
            continue
    raise CaseRefused({field: _("This is not a date; write it as dd-mm-yyyy.")})


def _uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@capability_required(Capability.WORKSPACE)
@require_POST
def consultation_request(request, pk: int):
    case = case_for(request.user, pk, CaseAction.WORK)
    source = Source.objects.filter(
        pk=int_or_404(request.POST.get("source")), is_active=True
    ).first()
    try:
        if source is None:
            raise CaseRefused({"source": _("Choose a source.")})
        work.consultation_request(
            case=case, source=source, purpose=request.POST.get("purpose", ""), actor=request.user
        )
    except CaseRefused as refused:
        return _refused(request, case, refused, posted=request.POST)
    messages.success(request, _("The request went to the privacy officer."))
    return back_to(case, "bronnen")


def _consultation(request, pk: int, consultation_pk: int):
    case = case_for(request.user, pk, CaseAction.WORK)
    return case, get_object_or_404(Consultation, pk=consultation_pk, case=case)


@capability_required(Capability.WORKSPACE)
@require_POST
def consultation_hit(request, pk: int, consultation_pk: int):
    case, consultation = _consultation(request, pk, consultation_pk)
    hit = {"ja": True, "nee": False}.get(request.POST.get("hit", ""))
    try:
        if hit is None:
            raise CaseRefused({"hit": _("Choose hit or no hit.")})
        work.consultation_hit(consultation=consultation, hit=hit, actor=request.user)
    except CaseRefused as refused:
        return _refused(request, case, refused)
    return back_to(case, "bronnen")


@capability_required(Capability.WORKSPACE)
@require_POST
def consultation_findings(request, pk: int, consultation_pk: int):
    case, consultation = _consultation(request, pk, consultation_pk)
    try:
        work.consultation_findings(
            consultation=consultation,
            findings=request.POST.get("findings", ""),
            actor=request.user,
        )
    except CaseRefused as refused:
        return _refused(request, case, refused, posted=request.POST)
    return back_to(case, "bronnen")


@capability_required(Capability.AUDIT)
def consultation_queue(request):
    """The privacy officer's requests to decide on: source and purpose, no case content."""
    if request.method == "POST":
        consultation = get_object_or_404(
            Consultation, pk=int_or_404(request.POST.get("consultation"))
        )
        try:
            work.consultation_decide(
                consultation=consultation,
                officer=request.user,
                approve=request.POST.get("decision") == "approve",
                motivation=request.POST.get("motivation", ""),
            )
        except CaseRefused as refused:
            for problem in refused.messages_for_form():
                messages.error(request, problem)
        else:
            messages.success(request, _("Your decision was recorded."))
        return redirect("cases:consultation_queue")
    pending = list(work.pending_consultations())
    audit_record(
        actor=request.user,
        action=AuditAction.CASE_CONSULTATION_QUEUE,
        detail={"consultations": [c.pk for c in pending]},
    )
    return render(request, "cases/consultation_queue.html", {"pending": pending})


@capability_required(Capability.WORKSPACE)
@require_POST
def intervention_add(request, pk: int):
    case = case_for(request.user, pk, CaseAction.WORK)
    kind = InterventionType.objects.filter(
        pk=int_or_404(request.POST.get("kind")), is_active=True
    ).first()
    try:
        if kind is None:
            raise CaseRefused({"kind": _("Choose an intervention.")})
        work.intervention_add(
            case=case,
            kind=kind,
            start_date=_date(request.POST, "start_date"),
            legal_basis=request.POST.get("legal_basis", ""),
            responsible=request.POST.get("responsible", ""),
            actor=request.user,
        )
    except CaseRefused as refused:
        return _refused(request, case, refused, posted=request.POST)
    messages.success(request, _("The intervention was recorded."))
    return back_to(case, "interventies")


@capability_required(Capability.WORKSPACE)
@require_POST
def intervention_update(request, pk: int, intervention_pk: int):
    case = case_for(request.user, pk, CaseAction.WORK)
    intervention = get_object_or_404(Intervention, pk=intervention_pk, case=case)
    try:
        changed = work.intervention_update(
            intervention=intervention,
            state=request.POST.get("state", ""),
            outcome=request.POST.get("outcome", ""),
            end_date=_date(request.POST, "end_date"),
            actor=request.user,
        )
    except CaseRefused as refused:
        # The form opens again on this intervention with what was typed.
        return _refused(
            request, case, refused, posted=request.POST, posted_intervention=intervention.pk
        )
    if changed.updated_at == intervention.updated_at:
        messages.info(request, _("Nothing changed."))
    else:
        messages.success(request, _("The intervention was updated."))
    return back_to(case, "interventies")


@capability_required(Capability.WORKSPACE)
@require_POST
def handover(request, pk: int):
    """Record a hand-over in the sharing register and hand its package over: a zip with the
    PDF summary and the FtM entities, made now."""
    case = case_for(request.user, pk, CaseAction.WORK)
    try:
        record, package = work.handover_record(
            case=case,
            recipient_kind=request.POST.get("recipient_kind", ""),
            recipient=request.POST.get("recipient", ""),
            what=request.POST.get("what", ""),
            legal_basis=request.POST.get("legal_basis", ""),
            actor=request.user,
            request_key=_uuid_or_none(request.POST.get("request_key")),
        )
    except CaseRefused as refused:
        return _refused(request, case, refused, posted=request.POST)
    except work.HandoverRecordedAlready as already:
        messages.warning(
            request,
            _(
                "This hand-over was recorded already (%(package)s); nothing was recorded "
                "twice. Its package is not kept: if it did not arrive, record the hand-over "
                "again, so that the register shows what was shared."
            )
            % {"package": already.handover.package_name},
        )
        return back_to(case, "register")
    response = HttpResponse(package, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{record.package_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@capability_required(Capability.WORKSPACE)
def accountability(request, pk: int):
    case = case_for(request.user, pk)
    audit_record(actor=request.user, action=AuditAction.CASE_ACCOUNTABILITY_REPORT, target=case)
    response = HttpResponse(accountability_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}-verantwoording.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@capability_required(Capability.WORKSPACE)
@require_POST
def task_add(request, pk: int):
    case = case_for(request.user, pk, CaseAction.WORK)
    assignee = User.objects.filter(pk=int_or_404(request.POST.get("assignee") or 0)).first()
    try:
        tasks_work.task_add(
            case=case,
            title=request.POST.get("title", ""),
            assignee=assignee,
            deadline=_date(request.POST, "deadline"),
            actor=request.user,
        )
    except CaseRefused as refused:
        return _refused(request, case, refused, posted=request.POST)
    messages.success(request, _("The task was added."))
    return back_to(case, "taken")


@capability_required(Capability.WORKSPACE)
@require_POST
def task_done(request, pk: int, task_pk: int):
    case = case_for(request.user, pk)
    task = get_object_or_404(Task, pk=task_pk, case=case)
    tasks_work.task_done(task=task, actor=request.user)  # refuses whom the task is not for (403)
    messages.success(request, _("The task is done."))
    # Back where the form was: "my tasks", or the case page (never a URL taken from the form).
    if request.POST.get("next") == reverse("cases:my_tasks"):
        return redirect("cases:my_tasks")
    return back_to(case, "taken")


@capability_required(Capability.WORKSPACE)
def my_tasks(request):
    tasks = list(tasks_work.my_tasks(user=request.user))
    today = timezone.localdate()
    audit_record(
        actor=request.user,
        action=AuditAction.CASE_TASK_LIST,
        detail={"tasks": [t.pk for t in tasks]},
    )
    rows = [(task, task.deadline < today) for task in tasks]
    return render(request, "cases/my_tasks.html", {"rows": rows})


@capability_required(Capability.WORKSPACE)
@require_POST
def handover_informed(request, pk: int, handover_pk: int):
    case = case_for(request.user, pk, CaseAction.WORK)
    handover = get_object_or_404(Handover, pk=handover_pk, case=case)
    done = _("Recorded that the recipient was informed.")
    # The service refuses a report or subject that was not part of the hand-over (400, its
    # Dutch message on the page: core.refusals.RefusalMiddleware).
    if request.POST.get("subject"):
        subject = subject_get(user=request.user, pk=int_or_404(request.POST.get("subject")))
        if subject is None:
            raise Http404
        work.handover_informed(handover=handover, subject=subject, actor=request.user)
        messages.success(request, done)
        return redirect("subjects:detail", pk=subject.pk)
    report = report_for(request.user, request.POST.get("report"))
    work.handover_informed(handover=handover, report=report, actor=request.user)
    messages.success(request, done)
    return redirect("reports:detail", pk=report.pk)
