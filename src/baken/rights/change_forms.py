"""The forms of carrying out a request (rights/changes.py): correcting a registered subject,
removing items, lifting a restriction. They check only the shape and keep what was typed;
the rules are the services' (a report is corrected with the report's own improve form,
reports/forms.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from baken.subjects.corrections import CORRECTABLE, latest_version, subject_data
from baken.subjects.models import Subject


def _reason(help_text) -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason.")},
        help_text=help_text,
    )


_FIELDS = {
    "name": lambda: forms.CharField(label=_("Name"), max_length=300),
    "birth_date": lambda: forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    ),
    "bsn": lambda: forms.CharField(label=_("BSN"), max_length=11, required=False),
    "kvk_number": lambda: forms.CharField(label=_("KvK number"), max_length=12, required=False),
    "legal_form": lambda: forms.CharField(label=_("Legal form"), max_length=100, required=False),
    "street": lambda: forms.CharField(label=_("Street"), max_length=200, required=False),
    "house_number": lambda: forms.IntegerField(
        label=_("House number"), min_value=1, max_value=99999, required=False
    ),
    "house_letter": lambda: forms.CharField(label=_("Letter"), max_length=1, required=False),
    "addition": lambda: forms.CharField(label=_("Addition"), max_length=10, required=False),
    "postcode": lambda: forms.CharField(label=_("Postcode"), max_length=7, required=False),
    "city": lambda: forms.CharField(label=_("Town"), max_length=200, required=False),
    "license_plate": lambda: forms.CharField(
        label=_("Licence plate"), max_length=12, required=False
    ),
    "make": lambda: forms.CharField(label=_("Make"), max_length=100, required=False),
    "colour": lambda: forms.CharField(label=_("Colour"), max_length=50, required=False),
}


class SubjectCorrectionForm(forms.Form):
    """The fields of the subject's kind, filled with what is registered now, and the reason
    (the request is put before it)."""

    # The version the form was filled from: a correction made meanwhile is not undone.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, subject: Subject, **kwargs):
        kwargs.setdefault("initial", {**subject_data(subject), "revision": latest_version(subject)})
        super().__init__(*args, **kwargs)
        for name in CORRECTABLE[subject.kind]:
            self.fields[name] = _FIELDS[name]()
        self.fields["reason"] = _reason(
            _("Shown in the subject's history with the request and your name.")
        )

    def changes(self) -> dict:
        """The subject's fields as the form has them now (the service finds what changed)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("reason", "revision")
        }


class RemovalForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("What is removed"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the reports, subjects and cases to remove.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that what I chose is destroyed for good and cannot be restored."),
        error_messages={"required": _("Confirm that what you chose is destroyed for good.")},
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = choices  # type: ignore[attr-defined]


class LiftForm(forms.Form):
    reason = _reason(
        _("Why the item may be used again; in the audit log and the request's timeline.")
    )
