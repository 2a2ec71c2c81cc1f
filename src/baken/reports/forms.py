"""Forms of the workspace: the inbox filters, and the triage work on one report."""

from typing import cast

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from baken.accounts.models import Team
from baken.core.form_rendering import QUICK

from .models import Category, Channel, DecisionKind, SubjectKind
from .workflow import Status

ASSIGNEE_CHOICES = [("", _("Anyone")), ("ik", _("Me")), ("niemand", _("Nobody"))]


class InboxFilterForm(forms.Form):
    status = forms.MultipleChoiceField(
        label=_("State"),
        choices=Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All channels")), *Channel.choices], required=False
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), choices=ASSIGNEE_CHOICES, required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("All teams")
    )
    area = forms.CharField(
        label=_("Area (code or postcode)"),
        max_length=32,
        required=False,
        help_text=_("The code of an area, e.g. havenwaard, or the start of a postcode: 1781 or 17"),
    )
    older_than_days = forms.IntegerField(
        label=_("Older than (days)"), min_value=0, max_value=3650, required=False
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("oudste", _("Oldest first")),
            ("nieuwste", _("Newest first")),
            ("status", _("By state")),
            ("kenmerk", _("By reference")),
        ],
    )

    def __init__(self, *args, categories: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *categories]  # type: ignore[attr-defined]

    def render(self, template_name=None, context=None, renderer=None):
        """The form's HTML, kept per process for the same input: rendering its eleven fields
        through Django's form templates cost more than the inbox's SQL (issue 18). The HTML
        is a function of the key alone: the language, the filters asked (they are echoed,
        errors included), the categories and the teams offered. Nothing in it is personal."""
        if template_name or context or renderer:
            return super().render(template_name, context, renderer)
        team = cast(forms.ModelChoiceField, self.fields["team"])
        teams = [(t.pk, team.label_from_instance(t)) for t in team.queryset or ()]
        key = (
            translation.get_language(),
            self.is_bound,
            self.prefix,
            repr(self.initial),
            tuple(sorted((name, tuple(values)) for name, values in self.data.lists()))
            if hasattr(self.data, "lists")
            else None,
            tuple((value, str(label)) for value, label in self.fields["category"].choices),  # type: ignore[attr-defined]
            tuple(teams),
        )
        if key[4] is None:
            return super().render()
        html = _RENDERED.get(key)
        if html is None:
            if len(_RENDERED) >= _RENDERED_MAX:
                _RENDERED.clear()
            # The teams just read, not read again by the widget.
            team.widget.choices = [("", team.empty_label), *teams]
            html = _RENDERED[key] = super().render()
        return html

    __str__ = render
    __html__ = render


_RENDERED: dict[tuple, str] = {}
_RENDERED_MAX = 256


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Name of this filter"), max_length=100)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)


def category_choices() -> list[tuple[str, str]]:
    return list(Category.objects.filter(is_active=True).values_list("code", "name"))


class ImproveForm(forms.Form):
    """The working version: what the team may correct, with the reason for the change."""

    # The report and case pages' forms: Django's HTML, written faster (core/form_rendering).
    default_renderer = QUICK

    revision = forms.IntegerField(widget=forms.HiddenInput)
    category = forms.ChoiceField(label=_("Category"), required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    observed_start = forms.DateTimeField(
        label=_("Observed from"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    observed_end = forms.DateTimeField(
        label=_("Observed until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    house_number = forms.IntegerField(
        label=_("House number"), min_value=1, max_value=99999, required=False
    )
    house_letter = forms.CharField(label=_("Letter"), max_length=1, required=False)
    addition = forms.CharField(label=_("Addition"), max_length=10, required=False)
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    city = forms.CharField(label=_("Town"), max_length=200, required=False)
    location_description = forms.CharField(
        label=_("Place in words"), max_length=500, required=False
    )
    remove_subjects = forms.MultipleChoiceField(
        label=_("Remove"), required=False, widget=forms.CheckboxSelectMultiple
    )
    new_kind = forms.ChoiceField(
        label=_("Add a subject"),
        required=False,
        choices=[("", _("Nothing to add")), *SubjectKind.choices],
    )
    new_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    new_birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    new_bsn = forms.CharField(label=_("BSN"), max_length=11, required=False)
    new_kvk_number = forms.CharField(label=_("KvK number"), max_length=12, required=False)
    new_license_plate = forms.CharField(label=_("Licence plate"), max_length=12, required=False)
    new_postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    new_house_number = forms.IntegerField(
        label=_("House number"), min_value=1, max_value=99999, required=False
    )
    new_description = forms.CharField(label=_("What is known"), max_length=2000, required=False)
    reason = forms.CharField(
        label=_("Why this change?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in the version history with your name."),
    )

    def __init__(self, *args, subjects: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("No category")), *category_choices()]  # type: ignore[attr-defined]
        self.fields["remove_subjects"].choices = subjects  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    default_renderer = QUICK

    text = forms.CharField(
        label=_("Note for the team"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class QuestionForm(forms.Form):
    default_renderer = QUICK

    text = forms.CharField(
        label=_("Question to the reporter"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The reporter reads it on the follow-up page with their receipt code. Do not "
            "name anyone or anything the reporter did not mention."
        ),
    )


class CriterionAnswerForm(forms.Form):
    criterion = forms.CharField(widget=forms.HiddenInput)
    choice = forms.CharField(label=_("Answer"), max_length=100)
    motivation = forms.CharField(
        label=_("Motivation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    default_renderer = QUICK

    kind = forms.ChoiceField(
        label=_("Decision"),
        choices=DecisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    recipient = forms.CharField(
        label=_("To whom"),
        max_length=200,
        required=False,
        help_text=_("For a referral or forward: the department, municipality or partner."),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write down why you take this decision.")},
    )
    without_answer = forms.CharField(
        label=_("Why decide without the reporter's answer?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The report waits for the reporter's answer to a question."),
        error_messages={"required": _("Say why you decide without the reporter's answer.")},
    )

    def __init__(self, *args, waiting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked only while the report waits for the reporter (reports/waiting.py).
        if not waiting:
            del self.fields["without_answer"]


class AttachmentForm(forms.Form):
    default_renderer = QUICK

    file = forms.FileField(label=_("Photo or PDF file"))
