"""The retention page (docs/retention.md): the privacy officer approves rule changes, places
and lifts legal holds and reads the runs; the functional administrator proposes changes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from baken.accounts.decorators import capability_required
from baken.core.refusals import Refused
from baken.core.roles import Capability

from . import selectors, services
from .forms import HoldForm, LiftForm, RemoveForm, RuleDecisionForm, RuleProposalForm
from .models import RetentionRun
from .statement import statement_file_name, statement_of
from .statement import statement_pdf as pdf_of


def _page(request, *, status: int = 200, **forms):
    user = request.user
    if not (
        user.can(Capability.RETENTION) or user.can(Capability.CONFIGURE) or selectors.may_hold(user)
    ):
        raise PermissionDenied
    context = {
        "rules": selectors.rules_in_force(actor=user),
        "proposals": selectors.rule_proposals(actor=user),
        "holds": selectors.holds_active(actor=user),
        "runs": selectors.runs_recent(actor=user),
        "coming": selectors.coming(actor=user, cap=selectors.COMING_CAP),
        "destruction_list": selectors.destruction_list(actor=user),
        "unweighed": selectors.unweighed_list(actor=user),
        "unweighed_shown": selectors.UNWEIGHED_SHOWN,
        "remove_form": forms.get("remove_form"),
        "remove_pk": forms.get("remove_pk"),
        "may_propose": user.can(Capability.CONFIGURE),
        "may_decide": user.can(Capability.RETENTION),
        "may_hold": selectors.may_hold(user),
        "proposal_form": forms.get("proposal_form") or RuleProposalForm(),
        "decision_form": forms.get("decision_form"),
        "decision_pk": forms.get("decision_pk"),
        "hold_form": forms.get("hold_form") or HoldForm(),
        "lift_form": forms.get("lift_form"),
        "lift_pk": forms.get("lift_pk"),
    }
    return render(request, "privacy/overview.html", context, status=status)


def overview(request):
    return _page(request)


def _add_refusal(form, refused: Refused) -> None:
    for field, message in refused.problems.items():
        form.add_error(field if field in form.fields else None, str(message))


def _submit(request, form, write, success: str, **shown):
    """A form of the page: `write(cleaned_data)` when it is valid, then back to the page
    with `success`; otherwise the page again (400) with the form's problems at their fields
    and what was typed (`shown` names the form for the page)."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except Refused as refused:
            refused.messages_for_form()
            _add_refusal(form, refused)
        else:
            messages.success(request, success)
            return redirect("privacy:overview")
    return _page(request, status=400, **shown)


@require_POST
@capability_required(Capability.CONFIGURE)
def rule_propose(request):
    form = RuleProposalForm(request.POST)
    return _submit(
        request,
        form,
        lambda data: services.rule_propose(actor=request.user, **data),
        _("The change was proposed; it applies once the privacy officer approves it."),
        proposal_form=form,
    )


@require_POST
@capability_required(Capability.RETENTION)
def rule_decide(request, pk: int):
    form = RuleDecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if approve:
                services.rule_approve(actor=request.user, pk=pk, note=note)
            else:
                services.rule_reject(actor=request.user, pk=pk, note=note)
        except Refused as refused:
            refused.messages_for_form()
            _add_refusal(form, refused)
        else:
            messages.success(
                request,
                _("The rule is in force.") if approve else _("The change was rejected."),
            )
            return redirect("privacy:overview")
    return _page(request, status=400, decision_form=form, decision_pk=pk)


def _hold_required(request) -> None:
    if not selectors.may_hold(request.user):
        raise PermissionDenied


@require_POST
def hold_place(request):
    _hold_required(request)
    form = HoldForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        target = selectors.hold_target(actor=request.user, reference=data["reference"])
        if target is None:
            form.add_error(
                "reference", _("No report, case or subject has this reference or number.")
            )
        else:
            try:
                services.hold_place(
                    actor=request.user,
                    target=target,
                    reason=data["reason"],
                    explanation=data["explanation"],
                    until=data["until"],
                )
            except Refused as refused:
                refused.messages_for_form()
                _add_refusal(form, refused)
            else:
                messages.success(request, _("The legal hold is placed."))
                return redirect("privacy:overview")
    return _page(request, status=400, hold_form=form)


@require_POST
def hold_lift(request, pk: int):
    _hold_required(request)
    if selectors.hold_get(actor=request.user, pk=pk) is None:
        raise Http404  # another team's hold, or none: the same answer
    form = LiftForm(request.POST)
    return _submit(
        request,
        form,
        lambda data: services.hold_lift(actor=request.user, pk=pk, explanation=data["explanation"]),
        _("The legal hold is lifted."),
        lift_form=form,
        lift_pk=pk,
    )


def _run_for(request, pk: int) -> RetentionRun:
    run = selectors.run_get(actor=request.user, pk=pk)
    if run is None:
        raise Http404
    return run


@capability_required(Capability.RETENTION)
def statement(request, pk: int):
    found = statement_of(_run_for(request, pk))
    return render(request, "privacy/statement.html", {"statement": found})


@capability_required(Capability.RETENTION)
def statement_pdf(request, pk: int):
    found = statement_of(_run_for(request, pk))
    response = HttpResponse(pdf_of(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{statement_file_name(found)}"'
    return response


@require_POST
@capability_required(Capability.RETENTION)
def list_approve(request):
    try:
        approved = services.destruction_list_approve(actor=request.user)
    except Refused as refused:
        messages.error(request, " ".join(refused.messages_for_form()))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d case is approved for destruction; the next run destroys it.",
                "%(n)d cases are approved for destruction; the next run destroys them.",
                approved,
            )
            % {"n": approved},
        )
    return redirect("privacy:overview")


@require_POST
@capability_required(Capability.RETENTION)
def list_remove(request, pk: int):
    form = RemoveForm(request.POST)
    return _submit(
        request,
        form,
        lambda data: services.destruction_list_remove(
            actor=request.user, pk=pk, reason=data["reason"]
        ),
        _("The case is taken off the list and kept."),
        remove_form=form,
        remove_pk=pk,
    )
