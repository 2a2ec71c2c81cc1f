"""The workspace's way to a named reporter: one click and a reason on the report page.

Thin: the rule and the audit entry are `contact.reporter_contact_reveal`'s. With htmx the
panel on the report page is swapped in place; without JavaScript the answer is a page of its
own (the details, or the form with its error and the typed reason kept)."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from baken.accounts.decorators import capability_required
from baken.core.roles import Capability
from baken.reports.access import int_or_404, report_or_404

from .contact import REASON_MAX, ContactRefused, contact_may_reveal, reporter_contact_reveal


class ContactRevealForm(forms.Form):
    # Required-ness and length are the service's rule; the form only carries the text.
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        required=False,
        help_text=_(
            "Why do you need the reporter's contact details? Recorded in the audit log with "
            "your name."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "contact")
        super().__init__(*args, **kwargs)


@never_cache
@require_POST
def contact_reveal(request, pk):
    report_id = int_or_404(pk)
    form = ContactRevealForm(request.POST)
    form.is_valid()
    contact, status = None, 200
    try:
        contact = reporter_contact_reveal(
            user=request.user,
            report_id=report_id,
            reason=form.data.get("contact-reason", ""),
        )
    except ContactRefused as refused:
        if refused.reason == "anonymous":  # the report is theirs to see: the panel says why
            form.add_error(None, str(refused.message))
        else:  # a report they may not see (404) or not open (403) is a page of its own
            for message in refused.messages_for_form():
                form.add_error("reason", message)
        status = 400
    context = {"report_pk": report_id, "contact": contact, "contact_form": form}
    # htmx swaps only a 2xx answer: the panel with its problem comes back as 200.
    if request.headers.get("HX-Request"):
        return render(request, "intake/_contact.html", context)
    return render(request, "intake/contact.html", context, status=status)


@capability_required(Capability.WORKSPACE)
@require_GET
def contact_panel(request, pk):
    """The report page's panel that opens a named reporter's contact details (htmx), for
    those who may open them (contact.contact_may_reveal); empty for everyone else."""
    report = report_or_404(request, pk, part="contact_form")
    if not contact_may_reveal(user=request.user, report=report):
        return HttpResponse("")
    return render(
        request, "intake/_contact_panel.html", {"report": report, "form": ContactRevealForm()}
    )
