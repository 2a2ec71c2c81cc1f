"""The workspace's triage pages: the inbox and the report page with its work.

Thin views: parse, call one selector or service, render. Need-to-know is the selectors'
(report_get gives 404 for what the user may not see); what a role may do is permissions.can.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baken.accounts.decorators import capability_required
from baken.audit.actions import AuditAction
from baken.audit.page_views import page_view_start
from baken.audit.services import Target, audit_record
from baken.core import dates
from baken.core.refusals import Kind, Refused
from baken.core.roles import Capability

from . import attachments as files
from . import editing, inbox, sealing, selectors, waiting, weighing
from .access import int_or_404, report_for
from .attachments import AttachmentRefused
from .forms import (
    AttachmentForm,
    DecisionForm,
    InboxFilterForm,
    NoteForm,
    QuestionForm,
    SavedFilterForm,
    category_choices,
)
from .improving import ImproveInvalid, improve_from_form
from .models import Attachment, Criterion, SavedFilter
from .page import page_parts, report_page_context
from .permissions import Action
from .sealing_views import sealed_form_page
from .workflow import Status

PAGE_SIZE = 50


@capability_required(Capability.WORKSPACE)
def inbox_view(request):
    form = InboxFilterForm(request.GET or None, categories=category_choices())
    filters = inbox.filter_from_form(form)
    counts = inbox.inbox_counts(user=request.user, filters=filters)
    total = inbox.inbox_total(counts, filters)
    page = inbox.inbox_page(
        user=request.user,
        filters=filters,
        counts=counts,
        number=request.GET.get("pagina"),
        per_page=PAGE_SIZE,
    )
    # The page's rows are read: logged with their ids (need-to-know is accountable).
    selectors.report_list_logged(user=request.user, reports=list(page))
    returned = waiting.returned(report_ids=[report.pk for report in page])
    rows = _inbox_rows(page, timezone.now(), returned)
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "form": form,
        # Counted up to COUNT_CAP: a larger count is shown as "1000+".
        "state_counts": [
            (code, label, _shown(counts[code]), inbox.is_capped(counts[code]))
            for code, label in Status.choices
        ],
        "total": _shown(total),
        "total_capped": inbox.is_capped(total),
        "page": page,
        "rows": rows,
        # Back from waiting for the reporter, answered or not (waiting.py): marked.
        **returned,
        "answer_days": waiting.answer_days(),
        "query": query.urlencode(),
        "saved_filters": SavedFilter.objects.filter(user=request.user),
        "save_form": SavedFilterForm(initial={"query": query.urlencode()}),
    }
    template = (
        "reports/_inbox_results.html" if request.headers.get("HX-Request") else "reports/inbox.html"
    )
    return render(request, template, context)


def _inbox_rows(page, now, returned: dict[str, set[int]]) -> list[dict]:
    """The cells of the inbox's rows, written here once per row: the same text the template
    wrote with a filter, a lookup and a URL reversed per cell, which cost more than the
    page's SQL (issue 18). The template escapes them as before."""
    detail = reverse("reports:detail", args=[0])
    head, tail = detail.rsplit("/0", 1) if detail.endswith("/0") else (None, "")
    statuses = dict(Status.choices)
    unanswered, answered = returned["unanswered"], returned["answered"]
    rows = []
    for report in page:
        pk = report.pk
        if report.postcode:
            hn = report.house_number
            place = f"{report.postcode} {'' if hn is None else hn}"
        else:
            place = Truncator(report.location_description).chars(30) or "—"
        category, team, person = report.category, report.team, report.assignee
        rows.append(
            {
                "pk": pk,
                "url": f"{head}/{pk}{tail}"
                if head is not None
                else reverse("reports:detail", args=[pk]),
                "reference": report.reference,
                "overdue": inbox.is_overdue(report, now),
                "unanswered": pk in unanswered,
                "answered": pk in answered,
                "received": dates.compact(report.received_at),
                "category": (category.name if category else "") or "—",
                "status": str(statuses.get(report.status, report.status)),
                "place": place,
                "team": (team.name if team else "") or "—",
                "assignee": (person.get_full_name() or person.username) if person else "—",
            }
        )
    return rows


def _shown(n: int | None) -> int | None:
    return None if n is None else min(n, inbox.COUNT_CAP)


@capability_required(Capability.WORKSPACE)
@require_POST
def filter_save(request):
    form = SavedFilterForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            saved, _created = SavedFilter.objects.update_or_create(
                user=request.user,
                name=form.cleaned_data["name"],
                defaults={"query": form.cleaned_data["query"]},
            )
            audit_record(actor=request.user, action=AuditAction.FILTER_SAVE, target=saved)
        messages.success(request, _("The filter was saved."))
    else:
        messages.error(request, _("Give the filter a name."))
    query = form.data.get("query", "")
    return redirect(f"{_inbox_url()}?{query}" if query else _inbox_url())


@capability_required(Capability.WORKSPACE)
@require_POST
def filter_delete(request, pk: int):
    with transaction.atomic():
        # Another user's filter does not exist for this one: 404, not "removed".
        saved = SavedFilter.objects.filter(user=request.user, pk=pk).first()
        if saved is None:
            raise Http404
        audit_record(actor=request.user, action=AuditAction.FILTER_DELETE, target=saved)
        saved.delete()
    messages.success(request, _("The filter was removed."))
    return redirect(_inbox_url())


def _inbox_url() -> str:
    return reverse("reports:inbox")


def _report_for(request, pk: int, action: str):
    if not request.user.can(Capability.WORKSPACE):
        raise PermissionDenied
    return report_for(request.user, pk, action)


def _detail(request, report, *, status: int = 200, **forms):
    context = report_page_context(request=request, report=report, **forms)
    return render(request, "reports/detail.html", context, status=status)


def report_detail(request, pk: int):
    """One view of the page is one read entry, listing the parts it shows; its panels carry
    a token so that they do not log the same read again (baken.audit.page_views)."""
    if not request.user.can(Capability.WORKSPACE):
        raise PermissionDenied
    parts = page_parts(int_or_404(pk))
    try:
        report = report_for(request.user, pk, parts=parts)
    except Refused as refused:
        # A sealed report ('no action'): its team lead gets the form to open it with a
        # reason (sealing_views.py); for everyone else it does not exist.
        sealed = sealing.sealed_report_get(user=request.user, pk=int_or_404(pk))
        if refused.kind != Kind.NOT_FOUND or sealed is None:
            raise
        return sealed_form_page(request, sealed)
    token = page_view_start(request, target=Target.of(report), parts=parts)
    return _detail(request, report, view_token=token)


@require_POST
def report_improve(request, pk: int):
    report = _report_for(request, pk, Action.IMPROVE)
    try:
        improved = improve_from_form(request=request, report=report)
    except ImproveInvalid as invalid:
        return _detail(request, report, status=invalid.status, improve_form=invalid.form)
    if improved is None:
        messages.info(request, _("Nothing was changed."))
    else:
        messages.success(request, _("Saved as version %(number)s.") % {"number": improved.revision})
    return redirect("reports:detail", pk=report.pk)


@require_POST
def note_add(request, pk: int):
    report = _report_for(request, pk, Action.NOTE)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, status=400, note_form=form)
    editing.note_add(report=report, actor=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("The note was added."))
    return redirect("reports:detail", pk=report.pk)


@require_POST
def criterion_answer(request, pk: int):
    report = _report_for(request, pk, Action.WEIGH)
    criterion = get_object_or_404(Criterion, code=request.POST.get("criterion"), is_active=True)
    choice = request.POST.get("choice", "")
    motivation = request.POST.get("motivation", "")
    try:
        weighing.criterion_answer_save(
            report=report,
            actor=request.user,
            criterion=criterion,
            choice=choice,
            motivation=motivation,
        )
    except weighing.WeighingRefused as refused:
        code = criterion.code
        values = {f"choice-{code}": choice, f"motivation-{code}": motivation}
        problems = {f"{code}.{key}": why for key, why in refused.problems.items()}
        return _detail(
            request, report, status=400, criterion_values=values, criterion_problems=problems
        )
    messages.success(request, _("Your answer was saved."))
    return redirect(f"{report_url(report)}#weging")


MERGED_TEXT = weighing.MERGED


def _problem_texts(refused: weighing.WeighingRefused) -> list[str]:
    """The refusal's messages for the form; the open criteria are shown in the form itself."""
    return [str(text) for key, text in refused.problems.items() if key != "criteria"]


def report_url(report) -> str:
    return reverse("reports:detail", args=[report.pk])


@require_POST
def decision_make(request, pk: int):
    report = _report_for(request, pk, Action.DECIDE)
    form = DecisionForm(request.POST, waiting=report.status == Status.AWAITING_REPORTER)
    if not form.is_valid():
        return _detail(request, report, status=400, decision_form=form)
    data = form.cleaned_data
    try:
        weighing.decision_make(
            report=report,
            actor=request.user,
            kind=data["kind"],
            rationale=data["rationale"],
            recipient=data["recipient"],
            without_answer=data.get("without_answer", ""),
        )
    except weighing.WeighingRefused as refused:
        for text in _problem_texts(refused):
            form.add_error(None, text)
        return _detail(
            request, report, status=400, decision_form=form, open_criteria=refused.open_criteria
        )
    if data["kind"] == Status.NO_ACTION:
        # Sealed from now on (sealing.py): out of the inbox, and its page is gone for the team.
        messages.success(
            request,
            _("The decision was recorded. Report %(reference)s is sealed now.")
            % {"reference": report.reference},
        )
        return redirect("reports:inbox")
    messages.success(request, _("The decision was recorded."))
    return redirect("reports:detail", pk=report.pk)


@require_POST
def question_ask(request, pk: int):
    report = _report_for(request, pk, Action.ASK)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, status=400, question_form=form)
    try:
        weighing.question_ask(report=report, actor=request.user, text=form.cleaned_data["text"])
    except weighing.WeighingRefused as refused:
        for text in _problem_texts(refused):
            form.add_error(None, text)
        return _detail(request, report, status=400, question_form=form)
    messages.success(request, _("The question was sent; the report waits for the answer."))
    return redirect("reports:detail", pk=report.pk)


@require_POST
def attachment_add(request, pk: int):
    report = _report_for(request, pk, Action.IMPROVE)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            files.refuse_if_too_large(upload.size)
            editing.attachment_add(report=report, actor=request.user, data=upload.read())
        except AttachmentRefused as refused:
            form.add_error("file", refused.reason)
        except editing.ReportMerged:
            messages.error(request, MERGED_TEXT)
            return redirect("reports:detail", pk=report.pk)
    if form.errors:
        return _detail(request, report, status=400, attachment_form=form)
    messages.success(request, _("The file was added."))
    return redirect("reports:detail", pk=report.pk)


def attachment(request, pk: int, attachment_id):
    """An attachment shown inside the app: decrypted only for who may see the report, logged
    as a view of this attachment (the report page that shows it logged its own read)."""
    if not request.user.can(Capability.WORKSPACE):
        raise PermissionDenied
    # A sealed report's files: only within the page view that opened it (sealing.covers).
    report = report_for(request.user, pk, log=False, request=request, part="attachments")
    item = get_object_or_404(Attachment, pk=attachment_id, report=report)
    audit_record(actor=request.user, action=AuditAction.ATTACHMENT_VIEW, target=item)
    response = HttpResponse(files.read(item.id), content_type=item.content_type)
    response["Content-Disposition"] = f'inline; filename="{report.reference}-{item.pk}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
