"""The functional administrator's forms for case types, the intervention catalogue and
the sources (admin_views): each comes back as typed, with its errors, when it fails."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Fact

# What a change ends in: None when done, a problem to tell (in Dutch), or the form that
# failed with the key of its place on the page.
Bound = tuple[str, forms.Form]


Outcome = None | str | Bound


def choices_of(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def _derived_label(fact: object):
    return format_lazy(gettext_lazy("derived: {fact}"), fact=fact)


class CriterionForm(forms.Form):
    question = forms.CharField(
        label=gettext_lazy("Question"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Give the question.")},
    )
    choices = forms.CharField(
        label=gettext_lazy("Answers, separated by commas"),
        max_length=1000,
        error_messages={
            "required": gettext_lazy("Give at least two answers, separated by commas.")
        },
    )
    mandatory = forms.BooleanField(label=gettext_lazy("mandatory"), required=False)
    fact = forms.ChoiceField(
        label=gettext_lazy("Answered by"),
        choices=[
            ("", gettext_lazy("the handler's judgement, with a motivation")),
            *[(fact.value, _derived_label(fact.label)) for fact in Fact],
        ],
        required=False,
        help_text=gettext_lazy(
            "A derived criterion is met, with its first answer, while the fact holds; "
            "nobody answers it by hand."
        ),
    )

    def clean_question(self) -> str:
        return " ".join(self.cleaned_data["question"].split())

    def clean_choices(self) -> list[str]:
        choices = choices_of(self.cleaned_data["choices"])
        if len(choices) < 2:
            raise forms.ValidationError(_("Give at least two answers, separated by commas."))
        if len({c.casefold() for c in choices}) < len(choices):
            raise forms.ValidationError(_("Give each answer once."))
        if any(len(c) > 100 for c in choices):  # CaseAnswer.choice keeps up to 100
            raise forms.ValidationError(_("Keep each answer to 100 characters at most."))
        return choices


class StageForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the stage"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the stage a name.")},
    )


class ResultForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Result"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the result a name.")},
    )


class SourceForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give a name.")},
    )


class InterventionBasisForm(forms.Form):
    """An intervention rests on a law: without its article it cannot be accounted for
    (the catalogue follows the barrier model, e.g. a closure: Opiumwet art. 13b)."""

    legal_basis = forms.CharField(
        label=gettext_lazy("Legal basis"),
        max_length=300,
        help_text=gettext_lazy("The law and its article, e.g. Opiumwet art. 13b."),
        error_messages={
            "required": gettext_lazy(
                "Give the legal basis: the law and article the intervention rests on."
            )
        },
    )
    responsible = forms.CharField(label=gettext_lazy("Responsible"), max_length=200, required=False)


class InterventionTypeForm(SourceForm, InterventionBasisForm):
    field_order = ["name", "legal_basis", "responsible"]


def form_for(cls: type[forms.Form], key: str, bound: Bound | None, **initial) -> forms.Form:
    """The form of one place on a page: the one that failed, with what was typed and its
    errors; otherwise one with the current values. `key` keeps its ids apart on the page."""
    if bound is not None and bound[0] == key:
        return bound[1]
    return cls(initial=initial, auto_id=f"{key}-%s")


def bind(cls: type[forms.Form], key: str, data) -> forms.Form:
    return cls(data, auto_id=f"{key}-%s")
