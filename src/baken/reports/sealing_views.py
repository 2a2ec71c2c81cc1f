"""The team lead's way into a sealed report (decided 'no action'): a short form with a reason
on the report's own URL, one click, and the report page as the answer to it.

Thin: who may, and the one audit entry, are `sealing.sealed_report_open`'s. Anyone else
gets 404 for a sealed report, as for one that does not exist (reports/access.py).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from baken.audit.page_views import page_view_start
from baken.audit.services import Target
from baken.core.refusals import Kind, Refused
from baken.core.roles import Capability

from . import sealing
from .access import NOT_FOUND, int_or_404
from .page import PAGE_PARTS, report_page_context
from .permissions import Action


class UnsealForm(forms.Form):
    # Required-ness and length are the service's rule; the form only carries the text.
    reason = forms.CharField(
        label=_("Why do you open this sealed report?"),
        max_length=sealing.REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit log with your name."),
    )


def sealed_form_page(request, report, *, form=None, status: int = 200):
    """The form that opens a sealed report, for its team lead (the caller checked)."""
    context = {
        "report": report,
        "form": form or UnsealForm(),
        "sealed_on": sealing.decided_on(report),
    }
    return render(request, "reports/sealed.html", context, status=status)


@never_cache
@require_POST
def unseal(request, pk):
    """Open the sealed report: the answer is the report page, read only, for this one view.
    Its photos and files carry the page view's token (audit/page_views.py)."""
    if not request.user.can(Capability.WORKSPACE):
        raise PermissionDenied
    report_id = int_or_404(pk)
    form = UnsealForm(request.POST)
    form.is_valid()
    parts = list(PAGE_PARTS)
    try:
        report = sealing.sealed_report_open(
            user=request.user, report_id=report_id, reason=form.data.get("reason", ""), parts=parts
        )
    except sealing.SealedRefused as refused:
        if refused.kind == Kind.NOT_FOUND:
            raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND) from None
        if refused.kind == Kind.CONFLICT:  # not sealed: its page is open to this user
            return redirect("reports:detail", pk=report_id)
        form.add_error("reason", str(refused.message))
        sealed = sealing.sealed_report_get(user=request.user, pk=report_id)
        if sealed is None:  # gone (destroyed) since: as for any unknown report
            raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND) from None
        return sealed_form_page(request, sealed, form=form, status=400)
    token = page_view_start(request, target=Target.of(report), parts=parts)
    context = report_page_context(request=request, report=report)
    # Read only, and none of the panels (related reports, subjects, cases, contact): the
    # opening shows the report as it was decided, nothing to work on.
    context.update(
        {
            "can": dict.fromkeys(Action.values, False),
            "sealed": True,
            "opened": True,
            "sealed_on": sealing.decided_on(report),
            "sealed_token": token,
            "suggestion_url": "",
            "subjects_url": "",
            "related_url": "",
            "cases_url": "",
            "contact_url": "",
            "assign_template": "",
        }
    )
    return render(request, "reports/detail.html", context)
