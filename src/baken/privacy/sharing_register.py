"""The sharing register across Baken (verstrekkingenregister, issue 16): every hand-over of
every case (`cases.models.Handover`) and every report forwarded or referred to a partner
(`reports.models.Decision`, kind `forwarded` or `referred`), newest first, for the privacy
officer alone (Capability.AUDIT).

Filters: the period, the kind of recipient (a hand-over's kind, or the decision), words of the
recipient, the team, and *about whom*: one or more registered subjects, by number or found by
name, BSN, KvK number or licence plate (subjects/search.py). About whom holds a hand-over
whose `subjects` name the subject (or one merged into it), and the hand-overs and decisions
of the reports that name the subject (a mention judged the same), so that "who received data
about X" is one question.

Both kinds are one `UNION ALL` of (source, id, moment) rows, ordered and counted by the
database, so a page reads only its own rows; the JSON lists of a hand-over are searched in
SQL on both databases (`HoldsAnyOf`: SQLite's json_each, PostgreSQL's jsonb containment),
never in a Python loop over the register. Hand-overs have no index on their JSON lists (no
migration here), so about whom reads every hand-over once: measured at 50,000 hand-overs
and 100,000 decisions, about 0.12 s on PostgreSQL and 0.24 s on SQLite for a page. Every
page, API page and download is an audit entry naming the rows it showed (or how many it
wrote).
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, F, Lookup, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.accounts.models import Team, User
from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.cases.models import Handover, RecipientKind
from baken.core.actors import Actor
from baken.core.roles import Capability
from baken.reports.models import Decision, DecisionKind, Report
from baken.subjects.models import Judgement, Mention, Subject
from baken.subjects.search import _identifier, clean_query, name_matches, query_key

HANDOVER = "handover"
DECISION = "decision"
# The decisions that send a report outside the team, as the register's kinds of recipient.
FORWARDED = DecisionKind.FORWARDED.value
REFERRED = DecisionKind.REFERRED.value
DECISION_KINDS = (FORWARDED, REFERRED)
DECISION_LABELS = {
    FORWARDED: _("Report forwarded (RIEC, police or other partner)"),
    REFERRED: _("Report referred (municipal department or other municipality)"),
}
KIND_CHOICES = [
    (_("Hand-over from a case"), list(RecipientKind.choices)),
    (_("Decision on a report"), list(DECISION_LABELS.items())),
]
KINDS = frozenset(RecipientKind.values) | frozenset(DECISION_KINDS)
# About whom, by name: at most this many registered subjects.
ABOUT_LIMIT = 10


def may_read(actor: Actor) -> bool:
    return bool(actor.is_authenticated and actor.can(Capability.AUDIT))


# --- about whom ----------------------------------------------------------------------------


def subjects_about(query: str) -> list[Subject]:
    """The registered subjects a typed name or number means: by BSN, KvK number or licence
    plate exactly; else by name, only the exact names when there are any, otherwise the
    closest (subjects/search.py). Every subject, whatever its team: the register is the
    whole municipality's. Merged subjects answer as the one they went into."""
    query = clean_query(query)
    within = Subject.objects.filter(merged_into__isnull=True)
    if len(query) < 2:
        return []
    identifier = _identifier(query)
    if identifier is not None:
        found = list(within.filter(identifier).order_by("name", "pk")[:ABOUT_LIMIT])
        if found:
            return found
    ranked = name_matches(query_key(query), within=within, limit=ABOUT_LIMIT)
    exact = [pk for pk, score in ranked if score >= 100]
    pks = exact or [pk for pk, _score in ranked]
    by_pk = Subject.objects.in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


def subject_by_number(number: int) -> Subject | None:
    """A registered subject by its number (#412); a merged one as the one it went into."""
    subject = Subject.objects.filter(pk=number).first()
    if subject is not None and subject.merged_into_id is not None:
        return Subject.objects.filter(pk=subject.merged_into_id).first()
    return subject


def _with_merged(subject_ids: Iterable[int]) -> list[int]:
    """The subjects and those merged into them: a hand-over names the ids of its day."""
    ids = set(subject_ids)
    ids |= set(Subject.objects.filter(merged_into__in=ids).values_list("pk", flat=True))
    return sorted(ids)


class HoldsAnyOf(Lookup):
    """A JSON list of ids (the left side) that holds any id of the right side: a list of ids
    or a query of one column of ids. SQL on both databases; Django's JSON `contains` is
    PostgreSQL-only and takes one list, not a query."""

    lookup_name = "holds_any_of"
    prepare_rhs = False

    def _right(self, compiler, connection) -> tuple[str, list]:
        if isinstance(self.rhs, list | tuple):
            ids = [int(value) for value in self.rhs] or [-1]  # -1: no row has it
            return "(" + ", ".join(["%s"] * len(ids)) + ")", ids
        sql, params = self.process_rhs(compiler, connection)
        return sql, list(params)

    def as_sql(self, compiler, connection):  # SQLite (and any database with json_each)
        left, left_params = self.process_lhs(compiler, connection)
        right, right_params = self._right(compiler, connection)
        # Only compiled SQL and placeholders are joined here; the ids are parameters.
        sql = f"EXISTS (SELECT 1 FROM json_each({left}) AS held WHERE held.value IN {right})"  # noqa: S608
        return sql, (*left_params, *right_params)

    def as_postgresql(self, compiler, connection):
        # jsonb containment (`[1, 5] @> [5]`) per id: no set-returning function per row.
        left, left_params = self.process_lhs(compiler, connection)
        if isinstance(self.rhs, list | tuple):
            ids = [int(value) for value in self.rhs] or [-1]
            arrays = ", ".join(["%s::jsonb"] * len(ids))
            params = [f"[{value}]" for value in ids]
            return f"{left} @> ANY(ARRAY[{arrays}])", (*left_params, *params)
        right, right_params = self.process_rhs(compiler, connection)
        wrapped = f"ARRAY(SELECT jsonb_build_array(held.id) FROM {right} AS held(id))"  # noqa: S608
        return f"{left} @> ANY({wrapped})", (*left_params, *right_params)


# --- the filter and the rows -----------------------------------------------------------------


@dataclass(frozen=True)
class SharingFilter:
    since: date | None = None
    until: date | None = None  # the last day included
    kind: str = ""  # a RecipientKind value, or forwarded / referred
    recipient: str = ""  # words of the recipient's name
    team: int | None = None
    subjects: tuple[int, ...] = ()  # about whom: registered subjects (any of them)

    def audit_detail(self) -> dict:
        """The filter as the audit entry keeps it: codes, ids and dates, never a typed name
        (the subjects it found are named by number)."""
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "kind": self.kind or None,
            "recipient": self.recipient or None,
            "team": self.team,
            "subjects": list(self.subjects),
        }


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _common(filters: SharingFilter, at: str) -> Q:
    found = Q()
    if filters.since:
        found &= Q(**{f"{at}__gte": _start(filters.since)})
    if filters.until:
        found &= Q(**{f"{at}__lt": _start(filters.until + timedelta(days=1))})
    if filters.recipient.strip():
        found &= Q(recipient__icontains=filters.recipient.strip())
    return found


def _handovers(filters: SharingFilter, naming: QuerySet | None) -> QuerySet[Handover]:
    handovers = Handover.objects.filter(_common(filters, "at"))
    if filters.kind:
        handovers = handovers.filter(recipient_kind=filters.kind)
    if filters.team is not None:
        handovers = handovers.filter(case__team_id=filters.team)
    if filters.subjects and naming is not None:
        handovers = handovers.filter(
            HoldsAnyOf(F("subjects"), _with_merged(filters.subjects))
            | HoldsAnyOf(F("reports"), naming)
        )
    return handovers


def _decisions(filters: SharingFilter, naming: QuerySet | None) -> QuerySet[Decision]:
    kinds = [filters.kind] if filters.kind in DECISION_KINDS else list(DECISION_KINDS)
    decisions = Decision.objects.filter(_common(filters, "at"), kind__in=kinds)
    if filters.team is not None:
        decisions = decisions.filter(report__team_id=filters.team)
    if filters.subjects and naming is not None:
        decisions = decisions.filter(report__in=naming)
    return decisions


def _naming(filters: SharingFilter) -> QuerySet | None:
    """The ids of the reports that name one of the subjects (a mention judged the same)."""
    if not filters.subjects:
        return None
    return (
        Mention.objects.filter(subject__in=_with_merged(filters.subjects), judgement=Judgement.SAME)
        .values("report_subject__report_id")
        .distinct()
    )


def register_rows(filters: SharingFilter) -> QuerySet:
    """The register as (source, ident, moment) rows, newest first: one query the database
    orders, counts and pages. Unchecked: callers check `may_read` first."""
    naming = _naming(filters)
    parts: list[QuerySet] = []
    if filters.kind not in DECISION_KINDS:
        parts.append(_handovers(filters, naming).annotate(source=Value(HANDOVER, CharField())))
    if not filters.kind or filters.kind in DECISION_KINDS:
        parts.append(_decisions(filters, naming).annotate(source=Value(DECISION, CharField())))
    shaped = [
        part.annotate(ident=F("pk"), moment=F("at")).values("source", "ident", "moment").order_by()
        for part in parts
    ]
    rows = shaped[0].union(*shaped[1:], all=True) if len(shaped) > 1 else shaped[0]
    return rows.order_by("-moment", "-ident")


@dataclass(frozen=True)
class Named:
    """A report or subject of a row: its number, and its reference or name while it exists
    (a destroyed report keeps its number in the hand-over, nothing else)."""

    pk: int
    text: str | None


@dataclass
class SharingRow:
    source: str  # handover | decision
    pk: int
    at: datetime
    kind: str  # a RecipientKind value, or forwarded / referred
    kind_label: str
    recipient: str
    basis: str  # a hand-over's legal basis; a decision's rationale
    what: str
    by: str
    team: str | None
    case: str | None  # a hand-over's case reference
    package: str = ""  # a hand-over's package and its SHA-256
    package_sha256: str = ""
    reports: list[Named] = field(default_factory=list)
    subjects: list[Named] = field(default_factory=list)


def _named(ids: Sequence[int], texts: dict[int, str]) -> list[Named]:
    return [Named(pk, texts.get(pk)) for pk in ids]


def _handover_rows(pks: list[int]) -> dict[int, SharingRow]:
    handovers = Handover.objects.filter(pk__in=pks).select_related("case", "case__team", "by")
    found = list(handovers)
    report_ids = {pk for h in found for pk in h.reports}
    subject_ids = {pk for h in found for pk in h.subjects}
    references = dict(Report.objects.filter(pk__in=report_ids).values_list("pk", "reference"))
    names = dict(Subject.objects.filter(pk__in=subject_ids).values_list("pk", "name"))
    kinds = dict(RecipientKind.choices)
    return {
        h.pk: SharingRow(
            source=HANDOVER,
            pk=h.pk,
            at=h.at,
            kind=h.recipient_kind,
            kind_label=str(kinds.get(h.recipient_kind, h.recipient_kind)),
            recipient=h.recipient,
            basis=h.legal_basis,
            what=h.what,
            by=str(h.by),
            team=h.case.team.name,
            case=h.case.reference,
            package=h.package_name,
            package_sha256=h.package_sha256,
            reports=_named(h.reports, references),
            subjects=_named(h.subjects, names),
        )
        for h in found
    }


def _decision_rows(pks: list[int]) -> dict[int, SharingRow]:
    decisions = list(
        Decision.objects.filter(pk__in=pks).select_related("report", "report__team", "author")
    )
    report_ids = {d.report_id for d in decisions}
    named: dict[int, list[Named]] = {}
    mentions = (
        Mention.objects.filter(report_subject__report__in=report_ids, judgement=Judgement.SAME)
        .values_list("report_subject__report_id", "subject_id", "subject__name")
        .order_by("subject__name", "subject_id")
    )
    for report_id, subject_id, name in mentions:
        shown = named.setdefault(report_id, [])
        if all(s.pk != subject_id for s in shown):
            shown.append(Named(subject_id, name))
    return {
        d.pk: SharingRow(
            source=DECISION,
            pk=d.pk,
            at=d.at,
            kind=d.kind,
            kind_label=str(DECISION_LABELS[d.kind]),
            recipient=d.recipient,
            basis=d.rationale,
            what=str(_("The report, with its named subjects")),
            by=str(d.author),
            team=d.report.team.name if d.report.team is not None else None,
            case=None,
            reports=[Named(d.report_id, d.report.reference)],
            subjects=named.get(d.report_id, []),
        )
        for d in decisions
    }


def rows_of(keys: Iterable[dict]) -> list[SharingRow]:
    """The rows of register_rows' keys (one page or one batch), in their order: two queries
    per kind, whatever the number of rows."""
    keys = list(keys)
    handovers = _handover_rows([k["ident"] for k in keys if k["source"] == HANDOVER])
    decisions = _decision_rows([k["ident"] for k in keys if k["source"] == DECISION])
    rows = []
    for key in keys:
        found = (handovers if key["source"] == HANDOVER else decisions).get(key["ident"])
        if found is not None:  # destroyed between the two queries
            rows.append(found)
    return rows


# --- reading it, audited ---------------------------------------------------------------------


def record_read(*, actor: User, filters: SharingFilter, rows: list[SharingRow], via: str) -> None:
    """One audit entry for a page of the register: the filter and every row it showed."""
    audit_record(
        actor=actor,
        action=AuditAction.SHARING_REGISTER_READ,
        target=Target("registers.sharing", "*"),
        detail={
            **filters.audit_detail(),
            "via": via,
            "handovers": [row.pk for row in rows if row.source == HANDOVER],
            "decisions": [row.pk for row in rows if row.source == DECISION],
        },
    )


BATCH = 500


def export_rows(*, actor: User, filters: SharingFilter, limit: int) -> Iterator[SharingRow]:
    """The register for a download, newest first, at most `limit` rows, read in batches; the
    download is an audit entry with the filter and how many rows there are (before the first
    row is written, so a download that breaks off is logged too)."""
    keys = register_rows(filters)
    total = keys.count()
    audit_record(
        actor=actor,
        action=AuditAction.SHARING_REGISTER_EXPORT,
        target=Target("registers.sharing", "*"),
        detail={**filters.audit_detail(), "rows": min(total, limit), "matching": total},
    )
    return _batched(keys[:limit])


def _batched(keys: QuerySet) -> Iterator[SharingRow]:
    batch: list[dict] = []
    for key in keys.iterator(chunk_size=BATCH):
        batch.append(key)
        if len(batch) == BATCH:
            yield from rows_of(batch)
            batch = []
    yield from rows_of(batch)


def teams() -> QuerySet[Team]:
    return Team.objects.order_by("name")
