"""Case pages: the list of cases a user may see, the case page, opening a case from a report
in further analysis, and each step of the case. Thin views: parse, call one service, render.
A case the user may not see is a 404, exactly as for one that does not exist."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from baken.accounts.decorators import capability_required
from baken.accounts.models import User
from baken.core.paging import CountedPaginator
from baken.core.roles import Capability
from baken.reports.access import int_or_404, report_for
from baken.reports.permissions import Action

from . import selectors, services, work
from .access import CaseAction, case_for
from .forms import (
    CaseJoinForm,
    CaseOpenForm,
    CloseForm,
    HandlerForm,
    NoteForm,
    RationaleForm,
)
from .models import Case, CaseReview, StageCriterion
from .page import case_page_context, handler_candidates, member_form_for
from .panels import join_context


def _page(request, case: Case, *, status: int = 200, **overrides):
    context = case_page_context(user=request.user, case=case, **overrides)
    return render(request, "cases/detail.html", context, status=status)


def _refused(request, case: Case, refused: services.CaseRefused, **overrides):
    # Not `problems`: the error summary (core/_form_errors.html) reads that name as pairs.
    return _page(request, case, status=400, refusals=refused.messages_for_form(), **overrides)


@capability_required(Capability.WORKSPACE)
def case_list(request):
    cases = selectors.case_list(user=request.user).order_by(*selectors.LIST_ORDER)
    paginator = CountedPaginator(cases, 50, count=selectors.case_count(user=request.user))
    page = paginator.get_page(request.GET.get("pagina"))
    return render(request, "cases/list.html", {"page": page})


@capability_required(Capability.WORKSPACE)
def case_detail(request, pk: int):
    # `lid`: the search for a person to add as a member (cases.lookup.member_search).
    return _page(request, case_for(request.user, pk), member_query=request.GET.get("lid", ""))


@capability_required(Capability.WORKSPACE)
@require_POST
def case_open(request, report_pk: int):
    report = report_for(request.user, report_pk, Action.CASE)
    # The service chooses the team and refuses a report without one; the form offers the
    # handlers of that team.
    form = CaseOpenForm(request.POST, team=services.case_team(reports=[report], actor=request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                reports=[report],
                title=data["title"],
                summary=data["summary"],
                handler=data["handler"],
                actor=request.user,
                rationale=data["rationale"],
            )
        except services.CaseRefused as refused:
            for problem in refused.messages_for_form():
                form.add_error(None, problem)
        else:
            messages.success(request, _("Case %(reference)s was opened.") % {"reference": case})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/open.html", {"report": report, "form": form}, status=400)


@capability_required(Capability.WORKSPACE)
@require_http_methods(["GET", "POST"])
def case_join(request, report_pk: int):
    """Add a report in further analysis to a running case this user works in. GET: the
    search for the case (`zoek`): with htmx the results only (the report page's cases
    panel asks), without JavaScript the form as a page of its own."""
    if request.method == "GET":
        report = report_for(request.user, report_pk, Action.CASE, request=request, part="cases")
        if request.headers.get("HX-Request"):
            # The results, and the suggestions again without the cases found (out of band).
            context = join_context(request, report=report)
            return render(request, "cases/_join_options.html", {**context, "oob": True})
        return render(request, "cases/join.html", join_context(request, report=report))
    report = report_for(request.user, report_pk, Action.CASE)
    form = CaseJoinForm(
        request.POST, prefix="join", cases=selectors.workable_case_list(user=request.user)
    )
    if form.is_valid():
        case = form.cleaned_data["case"]
        try:
            services.case_add_report(
                case=case,
                report=report,
                actor=request.user,
                rationale=form.cleaned_data["rationale"],
            )
        except services.CaseRefused as refused:
            for problem in refused.messages_for_form():
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                _("Report %(report)s was added to case %(case)s.")
                % {"report": report.reference, "case": case.reference},
            )
            return redirect("cases:detail", pk=case.pk)
    context = join_context(request, report=report, form=form)
    return render(request, "cases/join.html", context, status=400)


@capability_required(Capability.WORKSPACE)
@require_POST
def case_note(request, pk: int):
    case = case_for(request.user, pk, CaseAction.WORK)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            work.case_note_add(case=case, actor=request.user, text=form.cleaned_data["text"])
        except services.CaseRefused as refused:
            return _refused(request, case, refused)
        messages.success(request, _("The note was added."))
        return back_to(case, "tijdlijn")
    return _page(request, case, note_form=form, status=400)


@capability_required(Capability.WORKSPACE)
@require_POST
def case_answer(request, pk: int):
    case = case_for(request.user, pk, CaseAction.WORK)
    criterion = get_object_or_404(
        StageCriterion, pk=int_or_404(request.POST.get("criterion")), stage__version=case.version_id
    )
    try:
        services.case_answer(
            case=case,
            criterion=criterion,
            choice=request.POST.get("choice", ""),
            motivation=request.POST.get("motivation", ""),
            actor=request.user,
        )
    except services.CaseRefused as refused:
        return _refused(request, case, refused, posted=request.POST)
    messages.success(request, _("Your answer was saved."))
    return back_to(case, "fase")


def back_to(case: Case, part: str):
    """Back to a part of the case page (its id in the page)."""
    return redirect(f"{reverse('cases:detail', args=[case.pk])}#{part}")


@capability_required(Capability.WORKSPACE)
@require_POST
def case_advance(request, pk: int):
    case = case_for(request.user, pk, CaseAction.WORK)
    form = RationaleForm(request.POST, prefix="advance")
    if not form.is_valid():
        return _page(request, case, status=400, advance_form=form)
    try:
        services.case_advance(
            case=case, actor=request.user, rationale=form.cleaned_data["rationale"]
        )
    except services.CaseRefused as refused:
        return _refused(request, case, refused, advance_form=form)
    messages.success(request, _("The case moved to the next stage."))
    return redirect("cases:detail", pk=case.pk)


@capability_required(Capability.WORKSPACE)
@require_POST
def case_close(request, pk: int):
    case = case_for(request.user, pk, CaseAction.STEER)
    form = CloseForm(request.POST, case=case, prefix="close")
    if not form.is_valid():
        return _page(request, case, status=400, close_form=form)
    try:
        services.case_close(
            case=case,
            actor=request.user,
            result=form.cleaned_data["result"],
            rationale=form.cleaned_data["rationale"],
        )
    except services.CaseRefused as refused:
        return _refused(request, case, refused, close_form=form)
    messages.success(request, _("The case was closed."))
    return redirect("cases:detail", pk=case.pk)


@capability_required(Capability.WORKSPACE)
@require_POST
def case_reopen(request, pk: int):
    case = case_for(request.user, pk, CaseAction.STEER)
    form = RationaleForm(request.POST, prefix="reopen")
    if not form.is_valid():
        return _page(request, case, status=400, reopen_form=form)
    try:
        services.case_reopen(case=case, actor=request.user, reason=form.cleaned_data["rationale"])
    except services.CaseRefused as refused:
        return _refused(request, case, refused, reopen_form=form)
    messages.success(request, _("The case was reopened."))
    return redirect("cases:detail", pk=case.pk)


@capability_required(Capability.WORKSPACE)
@require_POST
def member_add(request, pk: int):
    case = case_for(request.user, pk, CaseAction.STEER)
    bound = member_form_for(case, data=request.POST)
    form = bound["member_form"]
    if not form.is_valid():
        return _page(request, case, status=400, **bound)
    try:
        services.member_add(
            case=case,
            user=form.cleaned_data["user"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.CaseRefused as refused:
        return _refused(request, case, refused, **bound)
    messages.success(request, _("The member was added."))
    return back_to(case, "leden")


@capability_required(Capability.WORKSPACE)
@require_POST
def handler_set(request, pk: int):
    """Appoint a member as the case handler (the team lead, or the handler passing it on)."""
    case = case_for(request.user, pk, CaseAction.STEER)
    form = HandlerForm(request.POST, prefix="handler", candidates=handler_candidates(case))
    if not form.is_valid():
        return _page(request, case, status=400, handler_form=form)
    try:
        services.case_handler_set(
            case=case,
            handler=form.cleaned_data["handler"],
            actor=request.user,
            rationale=form.cleaned_data["rationale"],
        )
    except services.CaseRefused as refused:
        return _refused(request, case, refused, handler_form=form)
    messages.success(request, _("The case handler was appointed."))
    return back_to(case, "leden")


@capability_required(Capability.WORKSPACE)
@require_POST
def member_remove(request, pk: int, user_pk: int):
    case = case_for(request.user, pk, CaseAction.STEER)
    user = get_object_or_404(User, pk=user_pk)
    try:
        services.member_remove(
            case=case, user=user, actor=request.user, reason=request.POST.get("reason", "")
        )
    except services.CaseRefused as refused:
        return _refused(request, case, refused)
    messages.success(request, _("The member was removed."))
    if selectors.case_list(user=request.user).filter(pk=case.pk).exists():
        return back_to(case, "leden")
    return redirect("cases:list")  # they removed themselves


@capability_required(Capability.AUDIT)
@require_http_methods(["GET", "POST"])
def case_review(request, pk: int):
    """The privacy officer reads a case on request, giving the reason; recorded and logged."""
    pk = int_or_404(pk)
    reason = request.POST.get("reason", "").strip() if request.method == "POST" else ""
    problem = ""
    if request.method == "POST":
        try:
            services.fits(reason, "reason", services.limit_of(CaseReview, "reason"))
        except services.CaseRefused as refused:
            problem = str(refused.problems["reason"])
        if not reason:
            problem = _("Give the reason for the review.")
    if not reason or problem:
        status = 400 if request.method == "POST" else 200
        context = {"pk": pk, "problem": problem, "reason": reason}
        return render(request, "cases/review.html", context, status=status)
    case = selectors.case_review(officer=request.user, pk=pk, reason=reason)
    if case is None:
        raise Http404
    context = case_page_context(user=request.user, case=case, read_only=True)
    return render(request, "cases/detail.html", context)
