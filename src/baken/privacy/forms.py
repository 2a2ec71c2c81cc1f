from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from baken.cases.models import CaseResult, CaseType

from .models import HoldReason, PeriodUnit, RuleKind


class RuleProposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of data"), choices=RuleKind.choices)
    period_amount = forms.IntegerField(label=_("Retention period"), min_value=1, max_value=36500)
    period_unit = forms.ChoiceField(label=_("Unit"), choices=PeriodUnit.choices)
    legal_source = forms.CharField(
        label=_("Legal source"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("The law, protocol or decision that sets this period."),
    )
    explanation = forms.CharField(
        label=_("Why this change"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    case_type = forms.TypedChoiceField(
        label=_("Only for this case type"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Closed cases only: leave empty for every case type."),
    )
    case_result = forms.ChoiceField(
        label=_("Only for this result"),
        required=False,
        help_text=_("Closed cases only: leave empty for every result."),
    )

    field_order = [
        "kind",
        "case_type",
        "case_result",
        "period_amount",
        "period_unit",
        "legal_source",
        "explanation",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("Every case type"))]
        case_type = cast(forms.ChoiceField, self.fields["case_type"])
        case_result = cast(forms.ChoiceField, self.fields["case_result"])
        case_type.choices = every + [
            (pk, name) for pk, name in CaseType.objects.values_list("pk", "name")
        ]
        results = CaseResult.objects.order_by("code", "-version__number").values_list(
            "code", "name"
        )
        named = dict(reversed(list(results)))  # a code by the name its newest version gives
        by_name = sorted(named.items(), key=lambda item: item[1].lower())
        case_result.choices = [("", str(_("Every result"))), *by_name]


class RuleDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note with your decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
        help_text=_("Needed when you reject the change."),
    )


class HoldForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference of the report or case, or number of the subject"),
        max_length=20,
        help_text=_(
            "For example M-7K4Q-2XPA (a report), Z-3HQ9-8MWD (a case) or #412 (a subject: the "
            "number on its page)."
        ),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=HoldReason.choices)
    explanation = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        help_text=_("Which request or case, with its reference; no names."),
    )
    until = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))


class LiftForm(forms.Form):
    explanation = forms.CharField(
        label=_("Why the hold ends"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this case is kept"),
        widget=forms.Textarea(attrs={"rows": 1}),
        max_length=5000,
    )
