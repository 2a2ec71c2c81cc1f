from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .kinds import Params, kinds_for
from .models import Format


class ExportForm(forms.Form):
    """Start an export: which list, which format, and the list's filters as its own query
    string (the list page's address after the `?`)."""

    kind = forms.ChoiceField(label=_("List"))
    format = forms.ChoiceField(
        label=_("Format"), choices=Format.choices, initial=Format.XLSX, widget=forms.RadioSelect
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds_for(user)  # type: ignore[attr-defined]

    def filters(self) -> Params:
        return dict(QueryDict(self.cleaned_data.get("query") or "").lists())
