"""The forms of the access overview's page (`/verzoeken/<id>/inzage`): the decision per item
and how the overview was sent. They check only the shape and keep what was typed; the rules
(a ground when withheld, a text for the sending) are the services' (rights/disclosure.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Disclosure, Ground, Hit

CHOICES = [(Disclosure.DISCLOSE, _("Disclose")), (Disclosure.WITHHOLD, _("Withhold"))]


class DisclosureForm(forms.Form):
    disclosure = forms.ChoiceField(
        label=_("Disclose or withhold?"),
        choices=CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether this item is disclosed or withheld.")},
    )
    ground = forms.ChoiceField(
        label=_("Ground for withholding"),
        choices=[("", _("— only when withheld —")), *Ground.choices],
        required=False,
        help_text=_("UAVG art. 41: why the requester may not see this item."),
    )
    note = forms.CharField(
        label=_("Note (for the file, not for the requester)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @classmethod
    def for_hit(cls, hit: Hit, data=None) -> "DisclosureForm":
        initial = {"disclosure": hit.disclosure, "ground": hit.ground, "note": hit.disclosure_note}
        return cls(data, prefix=f"hit-{hit.pk}", initial=initial)


class SentForm(forms.Form):
    how = forms.CharField(
        label=_("How was it sent?"),
        required=False,
        max_length=200,
        help_text=_(
            "For example: by registered post to the home address, or handed over at the desk."
        ),
    )

    @classmethod
    def for_document(cls, pk: int, data=None) -> "SentForm":
        return cls(data, prefix=f"document-{pk}")
