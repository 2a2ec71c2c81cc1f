from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from baken.accounts.models import Team, User
from baken.core.form_rendering import QUICK
from baken.core.roles import Role

from .lookup import person_label
from .models import Case, CaseResult


def _choices(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class CaseOpenForm(forms.Form):
    # The report and case pages' forms: Django's HTML, written faster (core/form_rendering).
    default_renderer = QUICK

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    handler = forms.ModelChoiceField(
        User.objects.none(), label=_("Case handler"), required=False, empty_label=_("Nobody yet")
    )
    rationale = forms.CharField(
        label=_("Why a case"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        help_text=_("The rationale of this decision; it is kept with the case."),
    )

    def __init__(self, *args, team: Team | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        handlers = User.objects.filter(
            is_active=True, role__in=[Role.CASE_HANDLER, Role.ANALYST, Role.TEAM_LEAD]
        )
        _choices(self, "handler").queryset = handlers.filter(team=team) if team else handlers


class CaseJoinForm(forms.Form):
    """Add a report in further analysis to a running case.

    The page offers a few cases to choose from (search results and suggestions:
    cases.selectors.join_search and join_suggestions), never a list of every open case of
    the team; what is posted is checked against every case the user may add to (`cases`:
    selectors.workable_case_list), one indexed lookup."""

    default_renderer = QUICK

    case = forms.ModelChoiceField(
        Case.objects.none(),
        label=_("Case"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the case to add the report to."),
            "invalid_choice": _(
                "Choose a running case you work in: this case is closed or not yours to add to."
            ),
        },
    )
    rationale = forms.CharField(
        label=_("Why this case"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        help_text=_("The rationale of this decision; it is kept with the case."),
    )

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cases is not None:
            _choices(self, "case").queryset = cases


class NoteForm(forms.Form):
    default_renderer = QUICK

    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


class RationaleForm(forms.Form):
    default_renderer = QUICK

    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class CloseForm(RationaleForm):
    result = forms.ModelChoiceField(
        queryset=CaseResult.objects.none(), label=_("Result"), empty_label=_("Choose…")
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            _choices(self, "result").queryset = case.version.results.all()


class MemberForm(forms.Form):
    """Add a person to a case. What is posted is checked against `candidates` (every active
    user; the service checks the rest); the list offers only `shown`, a bounded few found by
    cases.lookup.member_search, never every user of the country."""

    default_renderer = QUICK

    user = forms.ModelChoiceField(
        User.objects.none(),
        label=_("Person"),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose the person to add."),
            "invalid_choice": _("Choose an active person from the list."),
        },
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, candidates=None, shown=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = _choices(self, "user")
        if candidates is not None:
            field.queryset = candidates
        if shown is not None:
            field.widget.choices = [("", field.empty_label)] + [
                (person.pk, person_label(person)) for person in shown
            ]


class HandlerForm(forms.Form):
    """Appoint a member of the case as its case handler."""

    default_renderer = QUICK

    handler = forms.ModelChoiceField(
        User.objects.none(), label=_("New case handler"), empty_label=_("Choose…")
    )
    rationale = forms.CharField(
        label=_("Why this person"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        help_text=_("The rationale of this decision; it is kept with the case."),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            _choices(self, "handler").queryset = candidates
