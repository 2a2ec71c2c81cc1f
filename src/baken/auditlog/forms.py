from datetime import date
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from baken.accounts.models import User
from baken.audit import labels


class AuditSearchForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.all(), required=False, empty_label=_("Everyone")
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object number"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, actions: list[str], object_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        # Labels for people, codes as values: a link to a search keeps working in every
        # language, and the codes stay what the log and the API hold.
        cast(forms.ChoiceField, self.fields["action"]).choices = _choices(
            _("All actions"), [(a, labels.action_label(a)) for a in actions]
        )
        cast(forms.ChoiceField, self.fields["object_type"]).choices = _choices(
            _("All object types"), [(t, labels.object_type_label(t)) for t in object_types]
        )

    def clean_since(self):
        return _plausible(self.cleaned_data["since"])

    def clean_until(self):
        return _plausible(self.cleaned_data["until"])

    def clean(self):
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date lies before the start date."))
        return cleaned


def _choices(everything, labelled: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", str(everything)), *sorted(labelled, key=lambda choice: choice[1])]


def _plausible(day: date | None) -> date | None:
    """Dates far outside the log's lifetime (year 1 or 9999) overflow once made timezone-aware."""
    if day is not None and not date(1900, 1, 1) <= day <= date(2999, 12, 31):
        raise forms.ValidationError(_("Choose a date between 1900 and 2999."))
    return day
