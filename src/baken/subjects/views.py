"""The report page's subjects panel (htmx) with its judgements, and the subject page.

Thin views: report_get / subject_get give 404 for what the user may not see (the same page
as for what does not exist), permissions.can gives 403 for work the role may not do, the
services do the rest. A POST from the panel (htmx) gets the refreshed panel back; a plain
POST is redirected to the page it came from with a message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from baken.accounts.decorators import capability_required
from baken.audit.page_views import page_view_start, with_token
from baken.audit.services import Target
from baken.core.roles import Capability
from baken.reports.access import int_or_404, report_or_404
from baken.reports.models import Report
from baken.reports.permissions import Action, can

from . import matching, services
from .models import Judgement, Subject
from .page import PAGE_PARTS, named_label, report_panel_context, subject_page_context
from .selectors import merged_subject_target, subject_get, subject_list

_DONE = {
    Judgement.SAME: gettext_lazy("“%(named)s” is linked to %(subject)s."),
    Judgement.NOT_SAME: gettext_lazy("%(subject)s will no longer be suggested for “%(named)s”."),
    Judgement.UNSURE: gettext_lazy("Your doubt about %(subject)s for “%(named)s” was recorded."),
}


def _named(report: Report, pk):
    pk = int_or_404(pk)
    for rs in report.subjects.all():
        if rs.pk == pk:
            return rs
    raise Http404


def _visible_subject(request, pk) -> Subject:
    subject = subject_list(user=request.user).filter(pk=int_or_404(pk)).first()
    if subject is None:
        raise Http404
    return subject


def _allowed(request, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied


def _answer(request, report: Report, *, done: str = "", errors=()):
    """htmx: the refreshed panel (200 even for a refusal, which it names). Otherwise a
    redirect to the report page with a message."""
    if request.headers.get("HX-Request"):
        context = report_panel_context(user=request.user, report=report)
        context.update({"done": done, "errors": list(errors)})
        return render(request, "subjects/_report_panel.html", context)
    for error in errors:
        messages.error(request, error)
    if done:
        messages.success(request, done)
    return redirect("reports:detail", pk=report.pk)


@capability_required(Capability.WORKSPACE)
@require_GET
def report_panel(request, pk: int):
    report = report_or_404(request, pk, part="subjects")
    context = report_panel_context(user=request.user, report=report)
    return render(request, "subjects/_report_panel.html", context)


@capability_required(Capability.WORKSPACE)
@require_POST
def judge(request, pk: int):
    report = report_or_404(request, pk)
    rs = _named(report, request.POST.get("named"))
    subject = _visible_subject(request, request.POST.get("subject"))
    _allowed(request, Action.LINK)
    judgement = request.POST.get("judgement", "")
    # The score and reasons as the person saw them, recomputed here (never from the form).
    candidate = matching.score(matching.named(rs), subject)
    try:
        services.mention_judge(
            report_subject=rs,
            subject=subject,
            judgement=judgement,
            actor=request.user,
            score=candidate.score if candidate else None,
            reasons=[r.text for r in candidate.reasons] if candidate else [],
        )
    except services.SubjectRefused as refused:
        return _answer(request, report, errors=refused.problems.values())
    done = _DONE[Judgement(judgement)] % {"named": named_label(rs), "subject": subject.name}
    return _answer(request, report, done=done)


@capability_required(Capability.WORKSPACE)
@require_POST
def create_from(request, pk: int):
    report = report_or_404(request, pk)
    rs = _named(report, request.POST.get("named"))
    _allowed(request, Action.LINK)
    try:
        subject = services.subject_create_from(report_subject=rs, actor=request.user)
    except services.SubjectRefused as refused:
        return _answer(request, report, errors=refused.problems.values())
    return _answer(
        request,
        report,
        done=_("%(subject)s was registered and linked.") % {"subject": subject.name},
    )


def _subject(request, pk) -> Subject:
    subject = subject_get(user=request.user, pk=int_or_404(pk))
    if subject is None:
        raise Http404
    return subject


@capability_required(Capability.WORKSPACE)
@require_GET
def detail(request, pk: int):
    """One view of the page is one read entry, listing the parts it shows; its relations
    panel carries a token so that it does not log the same read again (audit/page_views)."""
    subject = subject_get(user=request.user, pk=int_or_404(pk), parts=PAGE_PARTS)
    if subject is None:
        target = merged_subject_target(user=request.user, pk=int_or_404(pk))
        if target is None:
            raise Http404
        messages.info(
            request,
            _("This subject was merged into %(subject)s; you are shown that subject.")
            % {"subject": target.name},
        )
        return redirect("subjects:detail", pk=target.pk)
    token = page_view_start(request, target=Target.of(subject), parts=PAGE_PARTS)
    context = subject_page_context(user=request.user, subject=subject)
    context["relations_url"] = with_token(reverse("subjects:relations", args=[subject.pk]), token)
    # The hand-overs outside the team, served by the cases app (htmx).
    context["cases_url"] = with_token(reverse("cases:subject_panel", args=[subject.pk]), token)
    return render(request, "subjects/detail.html", context)


@capability_required(Capability.WORKSPACE)
@require_POST
def merge(request, pk: int):
    """Merge the subject `other` into subject `pk`, which stays."""
    keep = _subject(request, pk)
    other = _subject(request, request.POST.get("other"))
    _allowed(request, Action.MERGE)
    try:
        services.subject_merge(
            keep=keep, merge=other, actor=request.user, reason=request.POST.get("reason", "")
        )
    except services.SubjectRefused as refused:
        for problem in refused.problems.values():
            messages.error(request, problem)
    else:
        messages.success(
            request,
            _("%(merged)s was merged into %(subject)s.")
            % {"merged": other.name, "subject": keep.name},
        )
    return redirect("subjects:detail", pk=keep.pk)


@capability_required(Capability.WORKSPACE)
@require_POST
def unmerge(request, pk: int):
    """Undo the merge of `merged` into subject `pk`."""
    keep = _subject(request, pk)
    _allowed(request, Action.MERGE)
    merged = keep.merged_subjects.filter(pk=int_or_404(request.POST.get("merged"))).first()
    if merged is None:
        raise Http404
    try:
        services.subject_unmerge(
            keep=keep, merged=merged, actor=request.user, reason=request.POST.get("reason", "")
        )
    except services.SubjectRefused as refused:
        for problem in refused.problems.values():
            messages.error(request, problem)
    else:
        messages.success(
            request, _("%(merged)s is a subject of its own again.") % {"merged": merged.name}
        )
    return redirect("subjects:detail", pk=keep.pk)
