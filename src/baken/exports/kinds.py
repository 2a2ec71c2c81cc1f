"""What each kind of export holds: who may make it, which filters it takes (the list page's
own query parameters and form), its columns, and its rows — read through the same selectors
that scope the list page to the requesting user, so an export holds exactly the rows the
list shows that user, all pages.

Columns: what the list shows, plus a few counts. Never the reporter's identity or contact
data (their department only as reports/departments.py lets the team see it), and no free
text (a report's description and place in words, a case's summary, an intervention's
outcome): free text names people in ways no column can be checked for, and once a file
leaves Baken no need-to-know, audit log or retention period follows it (data minimisation,
AVG art. 5(1)(c); ADR 0013). Whoever needs the text reads it in Baken,
where the reading is logged.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django import forms
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baken.cases.models import Intervention, InterventionState, InterventionType
from baken.cases.selectors import LIST_ORDER, case_list
from baken.core.refusals import Refused
from baken.core.roles import Capability
from baken.reports import inbox
from baken.reports.departments import department_shown
from baken.reports.forms import InboxFilterForm, category_choices
from baken.reports.selectors import report_list

from . import figures
from .models import Kind

Cell = str | int | float | datetime | date | None
Params = dict[str, list[str]]


class ExportRefused(Refused):
    """An export request that cannot be taken (a core.refusals.Refused, 400: the API answers
    it with each reason under `invalid_params`, a filter as `filters.<name>`; the exports page
    shows it in its form). `errors`: {"kind" or "format": [reasons]}; `filters`: {filter name:
    [reasons]}, kept apart because a filter may have the name of a field of the request (the
    interventions' filter `kind`)."""

    def __init__(
        self,
        errors: dict[str, list[str]] | None = None,
        *,
        filters: dict[str, list[str]] | None = None,
    ):
        self.errors = errors or {}
        self.filters = filters or {}
        problems = {
            **{name: "; ".join(map(str, r)) for name, r in self.errors.items()},
            **{f"filters.{name}": "; ".join(map(str, r)) for name, r in self.filters.items()},
        }
        super().__init__("invalid", problems=problems)

    def invalid_params(self) -> list[dict]:
        return [
            {"name": name, "code": "invalid", "reason": str(reason)}
            for name, reasons in self.errors.items()
            for reason in reasons
        ] + [
            {"name": f"filters.{name}", "code": "invalid", "reason": str(reason)}
            for name, reasons in self.filters.items()
            for reason in reasons
        ]


class FiltersInvalid(ExportRefused):
    """The filters do not fit the list: {parameter: [reasons]} (an ExportRefused, so an
    export request with them is refused as it is, without translating code)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(filters=errors)


@dataclass(frozen=True)
class ExportKind:
    code: str
    capability: str
    form: Callable[[QueryDict], forms.Form]
    headers: Callable[[], list[str]]
    # The ids of the rows, in the list's order, for this user and these (valid) filters.
    ids: Callable[[Any, QueryDict], list[int]]
    # The rows of some of those ids, each read again through the user's scope: a row the
    # user may no longer see by now is left out.
    rows: Callable[[Any, Sequence[int]], list[list[Cell]]]


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


# -- reports: the inbox (reports/inbox.py) --------------------------------------------------


def _report_form(data: QueryDict) -> forms.Form:
    return InboxFilterForm(data, categories=category_choices())


def _report_ids(user, data: QueryDict) -> list[int]:
    filters = inbox.filter_from_form(_report_form(data))
    return list(inbox.inbox_reports(user=user, filters=filters).values_list("pk", flat=True))


def _report_headers() -> list[str]:
    return [
        _("Reference"),
        _("Received"),
        _("Category"),
        _("State"),
        _("Channel"),
        _("Postcode"),
        _("House number"),
        _("Town"),
        _("Team"),
        _("Assigned to"),
        _("Subjects"),
        _("Overdue"),
        _("Reporter's department"),
    ]


def _report_rows(user, ids: Sequence[int]) -> list[list[Cell]]:
    found = (
        report_list(user=user)
        .filter(pk__in=ids)
        .select_related("category", "team", "assignee", "department")
        .prefetch_related(None)
        .annotate(subjects_count=Count("subjects"))
    )
    now = timezone.now()
    return [
        [
            r.reference,
            r.received_at,
            r.category.name if r.category else "",
            r.get_status_display(),
            r.get_channel_display(),
            r.postcode,
            r.house_number,
            r.city,
            r.team.name if r.team else "",
            _name(r.assignee),
            r.subjects_count,
            _yes(inbox.is_overdue(r, now)),
            department_shown(r),
        ]
        for r in _in_order(found, ids)
    ]


# -- cases: the case list (cases/views.py case_list) ----------------------------------------


class NoFilters(forms.Form):
    """The case list takes no filters (yet)."""


def _case_ids(user, data: QueryDict) -> list[int]:
    # The case list's order: open cases first, the newest first (cases/views.py).
    cases = case_list(user=user).order_by(*LIST_ORDER)
    return list(cases.values_list("pk", flat=True))


def _case_headers() -> list[str]:
    return [
        _("Reference"),
        _("Title"),
        _("Stage"),
        _("Result"),
        _("Case handler"),
        _("Team"),
        _("Opened"),
        _("Closed"),
        _("Reports"),
        _("Interventions"),
    ]


def _case_rows(user, ids: Sequence[int]) -> list[list[Cell]]:
    found = (
        case_list(user=user)
        .filter(pk__in=ids)
        .annotate(
            reports_count=Count("case_reports", distinct=True),
            interventions_count=Count("interventions", distinct=True),
        )
    )
    return [
        [
            c.reference,
            c.title,
            c.stage.name,
            c.result.name if c.result else "",
            _name(c.handler),
            c.team.name,
            c.opened_at,
            c.closed_at,
            c.reports_count,
            c.interventions_count,
        ]
        for c in _in_order(found, ids)
    ]


# -- interventions: of the cases the user may see -------------------------------------------


class InterventionFilterForm(forms.Form):
    state = forms.MultipleChoiceField(
        label=gettext_lazy("State"), choices=InterventionState.choices, required=False
    )
    kind = forms.ModelChoiceField(
        label=gettext_lazy("Intervention"),
        queryset=InterventionType.objects.all(),
        to_field_name="code",
        required=False,
    )


def _interventions(user) -> QuerySet[Intervention]:
    return Intervention.objects.filter(case__in=case_list(user=user).values("pk"))


def _intervention_ids(user, data: QueryDict) -> list[int]:
    form = InterventionFilterForm(data)
    found = _interventions(user)
    if form.is_valid():
        if form.cleaned_data["state"]:
            found = found.filter(state__in=form.cleaned_data["state"])
        if form.cleaned_data["kind"]:
            found = found.filter(kind=form.cleaned_data["kind"])
    ordered = found.order_by("case__reference", "start_date", "pk")
    return list(ordered.values_list("pk", flat=True))


def _intervention_headers() -> list[str]:
    return [
        _("Case"),
        _("Intervention"),
        _("Legal basis"),
        _("Responsible"),
        _("Start"),
        _("End"),
        _("State"),
    ]


def _intervention_rows(user, ids: Sequence[int]) -> list[list[Cell]]:
    found = _interventions(user).filter(pk__in=ids).select_related("case", "kind")
    return [
        [
            i.case.reference,
            i.kind.name,
            i.legal_basis,
            i.responsible,
            i.start_date,
            i.end_date,
            i.get_state_display(),
        ]
        for i in _in_order(found, ids)
    ]


def _in_order(found: QuerySet, ids: Sequence[int]) -> list:
    by_pk = {obj.pk: obj for obj in found}
    return [by_pk[pk] for pk in ids if pk in by_pk]


KINDS: dict[str, ExportKind] = {
    Kind.REPORTS: ExportKind(
        Kind.REPORTS,
        Capability.WORKSPACE,
        _report_form,
        _report_headers,
        _report_ids,
        _report_rows,
    ),
    Kind.CASES: ExportKind(
        Kind.CASES, Capability.WORKSPACE, NoFilters, _case_headers, _case_ids, _case_rows
    ),
    Kind.INTERVENTIONS: ExportKind(
        Kind.INTERVENTIONS,
        Capability.WORKSPACE,
        InterventionFilterForm,
        _intervention_headers,
        _intervention_ids,
        _intervention_rows,
    ),
}

# Parameters of a list page that choose a page or a view, not rows.
IGNORED = {"pagina"}


def may_export(user, kind: str) -> bool:
    """May this user (as they are now) export this kind of list at all? Which rows they get
    is the selectors' business."""
    if not user.is_authenticated or not user.is_active:
        return False
    if kind == Kind.FIGURES:
        return figures.may_export(user)
    spec = KINDS.get(kind)
    return spec is not None and user.can(spec.capability)


def kinds_for(user) -> list[tuple[str, str | Promise]]:
    return [(code, label) for code, label in Kind.choices if may_export(user, code)]


def check_filters(kind: str, params: Params) -> Params:
    """The filters as the list page understands them, without empty values; FiltersInvalid
    naming each parameter that is unknown or has a value the list would not take."""
    params = {k: [v for v in vs if v != ""] for k, vs in params.items() if k not in IGNORED}
    params = {k: vs for k, vs in params.items() if vs}
    errors = figures.filter_errors(params) if kind == Kind.FIGURES else _errors(kind, params)
    if errors:
        raise FiltersInvalid(errors)
    return params


def _errors(kind: str, params: Params) -> dict[str, list[str]]:
    """{parameter: [reasons]} for each parameter the list page's form would not take."""
    form = KINDS[kind].form(query_of(params))
    errors: dict[str, list[str]] = {
        name: [_("This list has no filter of this name.")]
        for name in params
        if name not in form.fields
    }
    if not form.is_valid():
        for name, reasons in form.errors.items():
            errors[name] = [str(reason) for reason in reasons]
    return errors


def filter_form(kind: str) -> forms.Form | None:
    """The list page's own (unbound) filter form of this kind of list: its fields' labels
    and choices are what the list page shows."""
    if kind == Kind.FIGURES:
        return figures.form()
    spec = KINDS.get(kind)
    return spec.form(QueryDict()) if spec else None


def filters_shown(kind: str, params: Params) -> list[tuple[str, str]]:
    """The filters as the list page shows them: (the filter's label, its values' labels),
    in the order of the list's form; a name or value the form does not know (any more)
    as it is."""
    form = filter_form(kind)
    fields = form.fields if form is not None else {}
    order = {name: i for i, name in enumerate(fields)}
    shown = []
    for name in sorted(params, key=lambda n: (order.get(n, len(order)), n)):
        field = fields.get(name)
        if field is None:
            shown.append((name, ", ".join(params[name])))
            continue
        values = [_value_shown(field, value) for value in params[name]]
        shown.append((str(field.label or name), ", ".join(values)))
    return shown


def _value_shown(field: forms.Field, value: str) -> str:
    if isinstance(field, forms.BooleanField):
        return _yes(bool(field.to_python(value)))
    choices = getattr(field, "choices", None)
    if choices is None:
        return value
    for key, label in choices:
        if isinstance(label, list | tuple):  # a group of choices
            found = next((str(lb) for k, lb in label if str(k) == value), None)
            if found is not None:
                return found
        elif str(key) == value:
            return str(label)
    return value


def query_of(params: Params) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)
    return query
