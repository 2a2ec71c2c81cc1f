"""The forms of the access review pages: the list's filters, a review, the report's week."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from baken.core import dates

from .models import REVIEW_CHOICES, REVIEWED, FlagKind
from .selectors import OPEN
from .selectors import REVIEWED as REVIEWED_FILTER
from .weeks import Week

STATES = [
    ("", _("All flags")),
    (OPEN, _("Not reviewed yet")),
    (REVIEWED_FILTER, _("Reviewed")),
    *[(state.value, state.label) for state in REVIEWED],
]


class FlagFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Judgement"), choices=STATES, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *FlagKind.choices], required=False
    )
    user = forms.TypedChoiceField(label=_("User"), coerce=int, required=False, empty_value=None)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [  # type: ignore[attr-defined]
            ("", _("Everyone")),
            *((user.pk, str(user)) for user in users),
        ]

    def _day(self, name: str) -> date | None:
        day = self.cleaned_data[name]
        if day is not None and not dates.in_range(day):
            raise forms.ValidationError(dates.OUT_OF_RANGE)
        return day

    def clean_since(self):
        return self._day("since")

    def clean_until(self):
        return self._day("until")

    def clean(self):
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date lies before the start date."))
        return cleaned


class ReviewForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Your judgement"),
        choices=REVIEW_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose justified, to discuss or incident.")},
    )
    note = forms.CharField(
        label=_("Explanation"),
        help_text=_(
            "Why this is justified, what to discuss and with whom, or what happens next. Required."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write down why: a review needs a note.")},
    )


class WeekForm(forms.Form):
    week = forms.CharField(
        label=_("Week"),
        help_text=_(
            "Choose the week. No week picker? Then type the year and the week number, "
            "e.g. 2026-W49."
        ),
        max_length=8,
        widget=forms.TextInput(attrs={"type": "week"}),
    )

    def clean_week(self) -> Week:
        week = Week.parse(self.cleaned_data["week"])
        if week is None:
            raise forms.ValidationError(
                _("Write the week as year and week number, e.g. 2026-W49 (2000 to 2100).")
            )
        return week
