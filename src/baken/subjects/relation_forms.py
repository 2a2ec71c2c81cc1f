"""Parsing a new relation from the subject page's panel and from the API: the same choices,
so both say "this subject — owned by — that subject" the same way."""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from baken.core.names import fold
from baken.reports.models import Report
from baken.reports.selectors import report_list

from .models import Mention, Relation, Subject
from .relations import INVERSE_LABELS, REGISTRY_MAX, SYMMETRIC
from .selectors import subject_list

INVERSE = "inv:"
CANDIDATES_MAX = 50


def kind_choices() -> list[tuple[str, str]]:
    """Each kind as read from this subject, and (when it reads differently) its inverse."""
    choices: list[tuple[str, str]] = []
    for kind in Relation.Kind:
        choices.append((kind.value, str(kind.label)))
        if kind not in SYMMETRIC:
            choices.append((INVERSE + kind.value, str(INVERSE_LABELS[kind])))
    return choices


def ends(*, subject: Subject, other: Subject, choice: str) -> tuple[Subject, Subject, str]:
    """(source, target, kind) for a choice made on `subject`'s page."""
    if choice.startswith(INVERSE):
        return other, subject, choice.removeprefix(INVERSE)
    return subject, other, choice


def candidates(*, user, subject: Subject, query: str = "") -> QuerySet[Subject]:
    """Other subjects this user may see, optionally narrowed by name or identifier."""
    found = subject_list(user=user).exclude(pk=subject.pk)
    query = query.strip()
    if query:
        found = found.filter(
            Q(name_key__icontains=fold(query))
            | Q(name__icontains=query)
            | Q(license_plate__iexact=query.replace("-", "").upper())
            | Q(kvk_number=query)
        )
    return found.order_by("name", "pk")[:CANDIDATES_MAX]


def source_reports(*, user, subject: Subject) -> QuerySet[Report]:
    """Reports the user may see that name this subject: the likely source of a relation."""
    mentioned = Mention.objects.filter(subject=subject, judgement="same").values(
        "report_subject__report_id"
    )
    return (
        report_list(user=user)
        .filter(pk__in=mentioned)
        .select_related(None)
        .prefetch_related(None)
        .order_by("-received_at")
    )


class RelationForm(forms.Form):
    other = forms.ModelChoiceField(
        label=_("Other subject"),
        queryset=Subject.objects.none(),
        error_messages={
            "required": _("Choose the other subject."),
            "invalid_choice": _("Choose a subject you may see."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Relation"),
        choices=(),
        error_messages={"required": _("Choose a kind of relation.")},
    )
    start_date = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Until date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source_report = forms.ModelChoiceField(
        label=_("Source: report"),
        queryset=Report.objects.none(),
        required=False,
        empty_label=_("(no report)"),
        error_messages={"invalid_choice": _("Choose a report you may see.")},
    )
    source_registry = forms.CharField(
        label=_("Source: registry"),
        required=False,
        max_length=REGISTRY_MAX,
        help_text=_("For example KvK, BRP or RDW, with a date or number if you have one."),
    )

    def __init__(self, *args, user, subject: Subject, query: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        other = self.fields["other"]
        assert isinstance(other, forms.ModelChoiceField)  # noqa: S101 (narrowing for mypy)
        # Validation accepts any visible subject; the list shows a bounded few.
        other.queryset = subject_list(user=user).exclude(pk=subject.pk)
        self.shown_candidates = list(candidates(user=user, subject=subject, query=query))
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)  # noqa: S101
        kind.choices = kind_choices()
        report = self.fields["source_report"]
        assert isinstance(report, forms.ModelChoiceField)  # noqa: S101
        report.queryset = report_list(user=user).select_related(None).prefetch_related(None)
        self.shown_reports = list(source_reports(user=user, subject=subject)[:CANDIDATES_MAX])
