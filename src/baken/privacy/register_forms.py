"""The sharing register's filter (the page and its CSV); the API checks the same rules with
`sharing_filter`, so both refuse a wrong date, team or subject in the same words."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from baken.accounts.models import Team
from baken.subjects.models import Subject

from .sharing_register import KIND_CHOICES, SharingFilter, subject_by_number, subjects_about

# "#412" or "412": a registered subject's number, as its page and the register show it.
SUBJECT_NUMBER = re.compile(r"#?\s*(\d{1,12})")
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
NO_SUBJECT = _(
    "No registered subject has this name, number, BSN, KvK number or licence plate. "
    "Check the spelling, or search by a part of the name."
)
DATES_REVERSED = _("The end date lies before the start date.")
DATE_RANGE = _("Choose a date between 1900 and 2999.")


def about_subjects(about: str) -> list[Subject]:
    """What the field *about whom* means: a subject's number (#412; a BSN has nine digits,
    so a number of nine digits is tried as a BSN first), else a BSN, KvK number, licence
    plate or name (privacy.sharing_register.subjects_about)."""
    about = about.strip()
    number = SUBJECT_NUMBER.fullmatch(about)
    if number and (about.startswith("#") or len(number[1]) not in (8, 9)):
        subject = subject_by_number(int(number[1]))
        return [subject] if subject is not None else []
    return subjects_about(about)


class SharingSearchForm(forms.Form):
    about = forms.CharField(
        label=_("About whom"),
        required=False,
        max_length=200,
        help_text=_("A registered subject: name, BSN, KvK number, licence plate or number (#412)."),
    )

    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    recipient_kind = forms.ChoiceField(label=_("Kind of recipient"), required=False)
    recipient = forms.CharField(
        label=_("Recipient"),
        required=False,
        max_length=200,
        help_text=_("A part of the name, e.g. 'politie'."),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("All teams"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_kind"].choices = [("", _("Every kind")), *KIND_CHOICES]  # type: ignore[attr-defined]
        self.subjects: list[Subject] = []

    def _day(self, name: str) -> date | None:
        day = self.cleaned_data[name]
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(DATE_RANGE)
        return day

    def clean_since(self):
        return self._day("since")

    def clean_until(self):
        return self._day("until")

    def clean_about(self):
        about = " ".join(self.cleaned_data["about"].split())
        if about:
            self.subjects = about_subjects(about)
            if not self.subjects:
                raise forms.ValidationError(NO_SUBJECT)
        return about

    def clean(self):
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", DATES_REVERSED)
        return cleaned

    def filters(self) -> SharingFilter:
        """The valid form as the register's filter (an unbound form: everything)."""
        data = self.cleaned_data if self.is_bound else {}
        team = data.get("team")
        return SharingFilter(
            since=data.get("since"),
            until=data.get("until"),
            kind=data.get("recipient_kind", ""),
            recipient=data.get("recipient", "").strip(),
            team=team.pk if team is not None else None,
            subjects=tuple(subject.pk for subject in self.subjects),
        )
