"""The forms of the request register's pages (`/verzoeken/`): what the privacy officer types.
The rules (what is required, the deadline, who may) are the services' (rights/services.py,
rights/finding.py); these forms check only the shape, and keep what was typed."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import HitKind, Outcome, RequestKind, RequestState

# A date field of the browser takes only ISO dates, whatever the language shows.
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All")), *RequestState.choices],
    )
    overdue = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("All")), ("yes", _("Overdue")), ("no", _("Not overdue"))],
    )
    kind = forms.ChoiceField(
        label=_("Kind of request"), required=False, choices=[("", _("All")), *RequestKind.choices]
    )

    def filters(self) -> dict:
        """The list's filters (none when the form is not valid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        overdue = {"yes": True, "no": False}.get(data["overdue"])
        return {"state": data["state"] or None, "overdue": overdue, "kind": data["kind"] or None}


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of request"), choices=RequestKind.choices, widget=forms.RadioSelect
    )
    requester_name = forms.CharField(label=_("Name of the requester"), max_length=300)
    requester_birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    requester_address = forms.CharField(
        label=_("Address for the answer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the answer is sent: a postal address or an e-mail address."),
    )
    identity_verified = forms.CharField(
        label=_("How the identity was verified"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example: passport shown at the desk. Do not keep a copy of the identity document."
        ),
    )
    description = forms.CharField(
        label=_("What is asked"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    received_on = forms.DateField(
        label=_("Received on"),
        widget=DATE,
        help_text=_("The answer is due one month after this date."),
    )
    # The form's one-time key: a new one for each empty form; the same form sent twice (a
    # double click) registers one request (services.request_register).
    request_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial", {"received_on": timezone.localdate(), "request_key": uuid.uuid4()}
        )
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "The deadline moves two months, once. Tell the requester within the first month, "
            "with this reason."
        ),
    )


class SearchForm(forms.Form):
    """Who to look for: the requester's name and date of birth, and any identifier they gave
    (prefilled from the request)."""

    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    bsn = forms.CharField(label=_("BSN"), required=False, max_length=11)
    kvk_number = forms.CharField(label=_("KvK number"), required=False, max_length=12)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7)
    house_number = forms.IntegerField(
        label=_("House number"), required=False, min_value=1, max_value=99999
    )
    house_letter = forms.CharField(label=_("House letter"), required=False, max_length=1)
    addition = forms.CharField(label=_("Addition"), required=False, max_length=10)
    license_plate = forms.CharField(label=_("Licence plate"), required=False, max_length=12)


class JudgeForm(forms.Form):
    """Confirm that a found item is about the requester, or reject it."""

    kind = forms.ChoiceField(choices=HitKind.choices)
    object_id = forms.IntegerField(min_value=1)
    reasons = forms.CharField(required=False, max_length=5000)
    reason = forms.CharField(label=_("Why it is not the person"), required=False, max_length=2000)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the requester is told and why. When something is withheld or refused, name "
            "the ground (UAVG art. 41)."
        ),
    )
