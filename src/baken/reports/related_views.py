"""The report page's related-reports panel (an htmx partial) and the judgements made from it:
link or dismiss a suggestion, merge and unmerge duplicates, split and unsplit.

Thin views: `selectors.report_get` gives 404 for a report the user may not see (every report
involved must be visible), `permissions.can` gives 403 for work the role may not do, the
services in related.py and duplicates.py do the rest. A POST from the panel (htmx) gets the
refreshed panel back; a plain POST is redirected to the report page with a message.
"""

from typing import cast

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from baken.accounts.decorators import capability_required
from baken.core.roles import Capability

from . import selectors
from .access import refuse_unless, report_for
from .duplicates import DuplicateRefused, report_merge, report_split, report_unmerge, report_unsplit
from .models import LinkKind, Report
from .permissions import Action, can
from .related import FUZZY_WINDOW, LinkRefused, related_for, report_link
from .selectors import report_family as family


def panel_context(*, user, report: Report) -> dict:
    """What reports/_related.html shows: suggestions, and the report's duplicates and
    split-off reports this user may see."""
    visible = selectors.report_list(user=user).select_related(None).prefetch_related(None)
    return {
        "report": report,
        "related": related_for(user=user, report=report),
        "merged": list(family(user=user, report=report, relation="merged_into")),
        "split_off": list(family(user=user, report=report, relation="split_from")),
        "leading": visible.filter(pk=report.merged_into_id).first()
        if report.merged_into_id
        else None,
        "source": visible.filter(pk=report.split_from_id).first() if report.split_from_id else None,
        # A merged report is a record: links are judged on its leading report.
        "can_link": can(user, Action.LINK) and report.merged_into_id is None,
        "can_merge": can(user, Action.MERGE),
        # Similar names and closeness in place and time are looked for in a window only.
        "fuzzy_window": FUZZY_WINDOW,
    }


def _panel(request, report: Report, *, done: str = "", errors=()):
    context = panel_context(user=request.user, report=report)
    context.update({"done": done, "errors": list(errors)})
    return render(request, "reports/_related.html", context)


def _answer(request, *, page: Report, done: str = "", errors=(), to: int | None = None):
    """htmx: the refreshed panel of the page the form was on (200 even for a refusal:
    htmx swaps only successful answers, and the panel must say why). Otherwise a redirect
    to the report page with a message."""
    if request.headers.get("HX-Request"):
        return _panel(request, page, done=done, errors=errors)
    for error in errors:
        messages.error(request, error)
    if done:
        messages.success(request, done)
    return redirect("reports:detail", pk=to or page.pk)


def _page(request, default: Report) -> Report:
    """The report whose page (panel) the form was on, when it is not the one acted on."""
    panel = request.POST.get("panel", "")
    if panel and panel != str(default.pk):
        return report_for(request.user, panel)
    return default


@capability_required(Capability.WORKSPACE)
@require_GET
def related_panel(request, pk: int):
    return _panel(request, report_for(request.user, pk, request=request, part="related"))


@capability_required(Capability.WORKSPACE)
@require_POST
def link(request, pk: int):
    report = report_for(request.user, pk)
    other = report_for(request.user, request.POST.get("other"), Action.LINK)
    kind = request.POST.get("kind", "")
    try:
        report_link(
            report=report,
            other=other,
            actor=request.user,
            kind=kind,
            reason=request.POST.get("reason", ""),
        )
    except LinkRefused as refused:
        return _answer(request, page=report, errors=refused.problems.values())
    if kind == LinkKind.RELATED:
        done = _("%(reference)s is linked as related.") % {"reference": other.reference}
    else:
        done = _("%(reference)s will no longer be suggested.") % {"reference": other.reference}
    return _answer(request, page=report, done=done)


@capability_required(Capability.WORKSPACE)
@require_POST
def merge(request, pk: int):
    """Merge from the panel of report `pk`: `other` is the report shown there, `leading`
    says which of the two leads ("this" or "other")."""
    report = report_for(request.user, pk)
    other = report_for(request.user, request.POST.get("other"), Action.MERGE)
    leading, duplicate = (
        (other, report) if request.POST.get("leading") == "other" else (report, other)
    )
    try:
        report_merge(
            leading=leading,
            duplicate=duplicate,
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
    except DuplicateRefused as refused:
        return _answer(request, page=report, errors=refused.problems.values())
    done = _("%(duplicate)s was merged into %(leading)s.") % {
        "duplicate": duplicate.reference,
        "leading": leading.reference,
    }
    return _answer(request, page=report, done=done, to=leading.pk)


@capability_required(Capability.WORKSPACE)
@require_POST
def unmerge(request, pk: int):
    """Undo the merge of report `pk` (the duplicate)."""
    duplicate = report_for(request.user, pk)
    if duplicate.merged_into_id:  # the report it joined or came from must be visible too
        report_for(request.user, duplicate.merged_into_id)
    refuse_unless(request.user, Action.MERGE)
    page = _page(request, duplicate)
    try:
        report_unmerge(
            duplicate=duplicate, actor=request.user, reason=request.POST.get("reason", "")
        )
    except DuplicateRefused as refused:
        return _answer(request, page=page, errors=refused.problems.values())
    done = _("%(reference)s is a report of its own again.") % {"reference": duplicate.reference}
    return _answer(request, page=page, done=done, to=duplicate.pk)


@capability_required(Capability.WORKSPACE)
@require_POST
def unsplit(request, pk: int):
    """Undo a split: report `pk` (split off) is merged back into the report it came from."""
    split_off = report_for(request.user, pk)
    if split_off.split_from_id:  # the report it joined or came from must be visible too
        report_for(request.user, split_off.split_from_id)
    refuse_unless(request.user, Action.MERGE)
    page = _page(request, split_off)
    try:
        report_unsplit(report=split_off, actor=request.user, reason=request.POST.get("reason", ""))
    except DuplicateRefused as refused:
        return _answer(request, page=page, errors=refused.problems.values())
    done = _("%(reference)s was merged back into the report it was split off.") % {
        "reference": split_off.reference
    }
    return _answer(request, page=page, done=done, to=split_off.split_from_id)


class SplitForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("What is the second matter?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text=gettext_lazy("The description of the new report. The original is copied."),
    )
    subjects = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Named subjects that belong to the second matter"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("They move to the new report."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedMultipleChoiceField, self.fields["subjects"])
        field.choices = [
            (s.position, f"{s.get_kind_display()}: {_subject_label(s)}")
            for s in report.subjects.all()
        ]
        if not field.choices:
            field.widget = forms.MultipleHiddenInput()


def _subject_label(subject) -> str:
    address = f"{subject.postcode} {subject.house_number or ''}".strip()
    return subject.name or subject.license_plate or subject.kvk_number or address or "—"


@capability_required(Capability.WORKSPACE)
@require_http_methods(["GET", "POST"])
def split(request, pk: int):
    report = report_for(request.user, pk, Action.MERGE)
    form = SplitForm(request.POST or None, report=report)
    if form.is_valid():
        try:
            new = report_split(
                report=report,
                actor=request.user,
                description=form.cleaned_data["description"],
                reason=form.cleaned_data["reason"],
                subject_positions=form.cleaned_data["subjects"],
            )
        except DuplicateRefused as refused:
            for name, problem in refused.problems.items():
                form.add_error(name if name in form.fields else None, problem)
        else:
            messages.success(
                request,
                _("%(new)s was split off %(reference)s.")
                % {"new": new.reference, "reference": report.reference},
            )
            return redirect("reports:detail", pk=new.pk)
    status = 400 if form.is_bound else 200
    return render(request, "reports/split.html", {"report": report, "form": form}, status=status)
