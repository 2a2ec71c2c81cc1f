"""Find a person everywhere (issue 16): what Baken holds about one requester, for the privacy
officer handling their request (AVG art. 15-21).

By name (with the date of birth, which makes a name telling), BSN, KvK number, address
(postcode and house number, with letter or addition) or licence plate, with the matching
Baken already has (subjects/matching.py's scoring and reasons, subjects/search.py's fuzzy
names, subjects/report_search.py's word and full-text indexes), across:

- registered subjects (merged ones too: their rows still hold the data);
- reports that name the person: named subjects (ReportSubject) whether or not they were
  linked to a registered subject, the report's own address, and the name in the report's
  description (full text);
- relations of the subjects found; cases holding the reports found; the hand-overs of those
  cases that shared a subject or report found (recipient, date, legal basis);
- the audit log's reads of the subjects, reports and cases found (who read which, when).

The privacy officer sees every team's data here, sealed reports ('no action', restricted)
included: that is the point of the search, and why only Capability.RIGHTS may run it and
every search is an audit entry (with the ids it showed, never what was typed). The selectors
of the apps below scope to a team's work and leave sealed reports out, so this module reads
their models directly, for this one purpose.

Nothing is confirmed here: every item found is a suggestion with its reasons, which the
officer confirms ("is de persoon") or rejects (rights/services.py). Bounded work: every query
uses an index (identifier columns, the name and word indexes, the audit log's object index)
and reads at most CANDIDATES rows; each group shows at most LIMIT items and says when there
were more.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baken.accounts.models import User
from baken.audit import labels as audit_labels
from baken.audit.actions import AuditAction
from baken.audit.models import AuditEntry
from baken.audit.services import audit_record
from baken.cases.models import Case, CaseReport, Handover
from baken.core import dates
from baken.core.actors import Actor
from baken.core.names import ORGANISATION, PERSON, normalise_name
from baken.core.refusals import Kind, Refused
from baken.places.addresses import normalise_postcode
from baken.reports.identifiers import bsn_is_valid, normalise_kvk, normalise_plate
from baken.reports.models import Report, ReportSubject, SubjectKind
from baken.reports.selectors import SEALED
from baken.subjects.matching import Named, Reason, score
from baken.subjects.models import Judgement, Mention, Relation, Subject
from baken.subjects.report_search import description_condition, mention_words_condition, words
from baken.subjects.search import name_matches, query_key

from .models import HitKind, Request, Step, StepKind
from .selectors import may_handle

LIMIT = 50  # items shown per group
CANDIDATES = 500  # rows read per query at most
READS = 100  # reads of the audit log shown
# The audit log's entries that are a read of one object.
READ_ACTIONS = [
    AuditAction.SUBJECT_READ,
    AuditAction.REPORT_READ,
    AuditAction.REPORT_UNSEAL_READ,
    AuditAction.CASE_READ,
]
GROUP_TITLES: dict[str, Any] = {
    HitKind.SUBJECT: gettext_lazy("Registered subjects"),
    HitKind.REPORT: gettext_lazy("Reports that name the person"),
    HitKind.RELATION: gettext_lazy("Relations"),
    HitKind.CASE: gettext_lazy("Cases"),
    HitKind.HANDOVER: gettext_lazy("Hand-overs: who received data about the person"),
}
READ_TYPES = {
    "subjects.subject": HitKind.SUBJECT,
    "reports.report": HitKind.REPORT,
    "cases.case": HitKind.CASE,
}


# --- what is searched for ---------------------------------------------------------------------


@dataclass(frozen=True)
class Criteria:
    """What identifies the requester, normalised (Criteria.of checks and normalises)."""

    name: str = ""
    birth_date: date | None = None
    bsn: str = ""
    kvk_number: str = ""
    postcode: str = ""
    house_number: int | None = None
    house_letter: str = ""
    addition: str = ""
    license_plate: str = ""

    @classmethod
    def of(
        cls,
        *,
        name: str = "",
        birth_date: date | None = None,
        bsn: str = "",
        kvk_number: str = "",
        postcode: str = "",
        house_number: int | None = None,
        house_letter: str = "",
        addition: str = "",
        license_plate: str = "",
    ) -> "Criteria":
        """The criteria as typed, checked: a refusal names each field that is wrong (Dutch
        when shown), or asks for at least one way to find the person."""
        problems: dict[str, Any] = {}
        name = " ".join(name.split())[:200]
        bsn_digits = "".join(bsn.split()).replace(".", "")
        if bsn_digits and not (len(bsn_digits) == 9 and bsn_is_valid(bsn_digits)):
            problems["bsn"] = _("This is not a valid BSN: nine digits that pass the 11-test.")
        kvk = normalise_kvk(kvk_number) if kvk_number.strip() else ""
        if kvk is None:
            problems["kvk_number"] = _("A KvK number has eight digits.")
        code = normalise_postcode(postcode) if postcode.strip() else ""
        if code is None:
            problems["postcode"] = _("Write a Dutch postcode, like 1234 AB.")
        elif code and house_number is None:
            problems["house_number"] = _("Write the house number with the postcode.")
        elif house_number is not None and not code:
            problems["postcode"] = _("Write the postcode with the house number.")
        plate = normalise_plate(license_plate) if license_plate.strip() else ""
        if birth_date is not None and birth_date > timezone.localdate():
            problems["birth_date"] = _("A date of birth cannot be in the future.")
        if problems:
            raise Refused("search_invalid", problems=problems)
        criteria = cls(
            name=name,
            birth_date=birth_date,
            bsn=bsn_digits,
            kvk_number=kvk or "",
            postcode=code or "",
            house_number=house_number,
            house_letter=house_letter.strip().upper()[:1],
            addition=addition.strip().upper()[:10],
            license_plate=plate or "",
        )
        if not criteria.used():
            raise Refused(
                "search_empty",
                _(
                    "Fill in at least a name, a BSN, a KvK number, an address (postcode and "
                    "house number) or a licence plate."
                ),
                field="name",
            )
        return criteria

    def used(self) -> list[str]:
        """What was searched by, in words (for the request's timeline: never the values)."""
        used = []
        if len(self.name) >= 2:
            used.append(_("name and date of birth") if self.birth_date else _("name"))
        if self.bsn:
            used.append(_("BSN"))
        if self.kvk_number:
            used.append(_("KvK number"))
        if self.postcode and self.house_number:
            used.append(_("address"))
        if self.license_plate:
            used.append(_("licence plate"))
        return used

    def named(self, kind: str) -> Named:
        """The requester as matching.py compares a subject of `kind` with them."""
        named = kind in (PERSON, ORGANISATION)
        return Named(
            kind=kind,
            name=self.name if named else "",
            name_key=normalise_name(self.name, kind) if named else "",
            birth_date=self.birth_date if kind == PERSON else None,
            bsn=self.bsn,
            kvk_number=self.kvk_number,
            license_plate=self.license_plate,
            postcode=self.postcode,
            house_number=self.house_number,
        )


# --- what is found ----------------------------------------------------------------------------


@dataclass
class Item:
    """One thing found, with why; `state` is the officer's judgement on this request so far
    ("confirmed", "rejected" or "")."""

    kind: str
    object_id: int
    label: str
    reasons: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    score: int | None = None
    sealed: bool = False
    # Reports: the subjects they name that were found, each with its reasons.
    mentions: list["Mentioned"] = field(default_factory=list)
    state: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.object_id}"


@dataclass
class Mentioned:
    """A subject named in a report, as the report names it."""

    kind: str
    name: str
    reasons: list[str]
    linked_to: str = ""  # the registered subject it was judged to be, if any

    @property
    def summary(self) -> str:
        """The mention and why, in one line (a report's reason)."""
        said = _("Names %(kind)s “%(name)s”: %(reasons)s") % {
            "kind": self.kind.lower(),
            "name": self.name,
            "reasons": "; ".join(self.reasons),
        }
        if not self.linked_to:
            said += " " + _("(not linked to a registered subject)")
        return said


@dataclass
class Group:
    kind: str
    items: list[Item] = field(default_factory=list)
    more: bool = False  # more was found than is shown

    @property
    def ids(self) -> list[int]:
        return [item.object_id for item in self.items]

    @property
    def title(self) -> str:
        return str(GROUP_TITLES[self.kind])


@dataclass
class Read:
    """Who read an item found, how often, and when (first and last)."""

    at: Any
    first: Any
    times: int
    who: str
    role: str
    action: str
    item: str


@dataclass
class Findings:
    criteria: Criteria
    subjects: Group
    reports: Group
    relations: Group
    cases: Group
    handovers: Group
    reads: list[Read] = field(default_factory=list)
    reads_more: bool = False

    @property
    def groups(self) -> list[Group]:
        return [self.subjects, self.reports, self.relations, self.cases, self.handovers]

    @property
    def empty(self) -> bool:
        return not any(group.items for group in self.groups)


def _reasons(reasons: Iterable[Reason]) -> list[str]:
    return [str(reason.text) for reason in reasons]


# --- labels -----------------------------------------------------------------------------------


def _subject_text(subject: Subject) -> str:
    return _("%(kind)s %(name)s (#%(id)s)") % {
        "kind": subject.get_kind_display(),
        "name": subject.name,
        "id": subject.pk,
    }


def _report_text(report: Report) -> str:
    return _("Report %(reference)s of %(date)s") % {
        "reference": report.reference,
        "date": dates.long(timezone.localtime(report.received_at).date()),
    }


def _case_text(case: Case) -> str:
    return _("Case %(reference)s: %(title)s") % {"reference": case.reference, "title": case.title}


def _relation_text(relation: Relation) -> str:
    return _("Relation: %(source)s %(kind)s %(target)s") % {
        "source": relation.source.name,
        "kind": relation.get_kind_display(),
        "target": relation.target.name,
    }


def _handover_text(handover: Handover) -> str:
    return _("Hand-over of case %(reference)s to %(recipient)s on %(date)s") % {
        "reference": handover.case.reference,
        "recipient": handover.recipient,
        "date": dates.long(timezone.localtime(handover.at).date()),
    }


_LABELS: dict[str, Callable[[int], str | None]] = {
    HitKind.SUBJECT: lambda pk: _text(Subject.objects.filter(pk=pk), _subject_text),
    HitKind.REPORT: lambda pk: _text(Report.objects.filter(pk=pk), _report_text),
    HitKind.CASE: lambda pk: _text(Case.objects.filter(pk=pk), _case_text),
    HitKind.RELATION: lambda pk: _text(
        Relation.objects.filter(pk=pk).select_related("source", "target"), _relation_text
    ),
    HitKind.HANDOVER: lambda pk: _text(
        Handover.objects.filter(pk=pk).select_related("case"), _handover_text
    ),
}


def _text(rows, describe) -> str | None:
    found = rows.first()
    return describe(found) if found is not None else None


def label_of(kind: str, object_id: int) -> str | None:
    """What an object is, in words (in the product's language, as a confirmed hit keeps it),
    or None when it is not there."""
    describe = _LABELS.get(kind)
    if describe is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        return describe(object_id)


# --- subjects ---------------------------------------------------------------------------------


class _Like:
    """A named subject (a ReportSubject row's values) as matching.score reads a registered
    one, normalised as matching.named normalises it."""

    trade_names: list[str] = []

    def __init__(self, row: dict) -> None:
        self.name = row["name"]
        self.birth_date = row["birth_date"]
        self.bsn = row["bsn"]
        self.kvk_number = normalise_kvk(row["kvk_number"] or "") or ""
        self.license_plate = normalise_plate(row["license_plate"] or "") or ""
        self.postcode = normalise_postcode(row["postcode"] or "") or ""
        self.house_number = row["house_number"]


def _address_reasons(criteria: Criteria, letter: str, addition: str) -> list[str]:
    """A letter or addition that differs, when the postcode and number agree."""
    if not (criteria.postcode and criteria.house_number):
        return []
    if criteria.house_letter and letter and criteria.house_letter != letter.upper():
        return [
            _("Different house letter: %(this)s and %(other)s")
            % {"this": criteria.house_letter, "other": letter.upper()}
        ]
    if criteria.addition and addition and criteria.addition != addition.upper():
        return [
            _("Different addition: %(this)s and %(other)s")
            % {"this": criteria.addition, "other": addition.upper()}
        ]
    return []


def _identifiers(criteria: Criteria) -> Q | None:
    condition = Q()
    if criteria.bsn:
        condition |= Q(bsn=criteria.bsn)
    if criteria.kvk_number:
        condition |= Q(kvk_number=criteria.kvk_number)
    if criteria.license_plate:
        condition |= Q(license_plate=criteria.license_plate)
    if criteria.postcode and criteria.house_number:
        condition |= Q(postcode=criteria.postcode, house_number=criteria.house_number)
    return condition or None


def _subjects(criteria: Criteria) -> tuple[Group, list[int]]:
    """Registered subjects by identifier (exact) and by name (fuzzy), each scored as a
    mention is matched; best first. Also the ids of every subject found (for relations)."""
    found: dict[int, Subject] = {}
    more = False
    if (condition := _identifiers(criteria)) is not None:
        rows = list(Subject.objects.filter(condition).order_by()[: CANDIDATES + 1])
        more = len(rows) > CANDIDATES
        found.update((s.pk, s) for s in rows[:CANDIDATES])
    key = query_key(criteria.name)
    if len(key) >= 3:
        ranked = name_matches(key, within=Subject.objects.all(), limit=CANDIDATES)
        more = more or len(ranked) >= CANDIDATES
        missing = [pk for pk, _score in ranked if pk not in found]
        found.update(Subject.objects.in_bulk(missing))
    items = []
    for subject in found.values():
        candidate = score(criteria.named(subject.kind), subject)
        if candidate is None:
            continue
        reasons = _reasons(candidate.reasons)
        reasons += _address_reasons(criteria, subject.house_letter, subject.addition)
        lines = [subject.get_kind_display()]
        if subject.birth_date:
            lines.append(_("born %(date)s") % {"date": dates.long(subject.birth_date)})
        if subject.street or subject.city:
            lines.append(" ".join(p for p in (subject.street, subject.city) if p))
        if subject.merged_into_id:
            lines.append(_("merged into #%(id)s") % {"id": subject.merged_into_id})
        items.append(
            Item(
                kind=HitKind.SUBJECT,
                object_id=subject.pk,
                label=_subject_text(subject),
                reasons=reasons,
                lines=lines,
                score=candidate.score,
            )
        )
    items.sort(key=lambda item: (-(item.score or 0), item.label, item.object_id))
    ids = [item.object_id for item in items]
    return Group(HitKind.SUBJECT, items[:LIMIT], more or len(items) > LIMIT), ids


# --- reports ----------------------------------------------------------------------------------


_ROW_FIELDS = (
    "pk",
    "report_id",
    "kind",
    "name",
    "birth_date",
    "bsn",
    "kvk_number",
    "license_plate",
    "postcode",
    "house_number",
    "house_letter",
    "addition",
)


def _name_conditions(criteria: Criteria) -> list:
    """Named subjects by the words of the name: every word as typed (as a prefix), every word's
    first three letters (one typo later in a word), and the surname's first four letters alone
    (initials: 'J. de Vries'). Each is one query on the word index; matching.py then keeps
    only the names that are alike."""
    typed = words(criteria.name)
    if not typed:
        return []
    conditions = [mention_words_condition(typed)]
    short = list(dict.fromkeys(word[:3] for word in typed))
    if short != typed:
        conditions.append(mention_words_condition(short))
    surname = normalise_name(criteria.name).split()[-1:] or typed[:1]
    if surname and len(surname[0]) >= 3:
        conditions.append(mention_words_condition([surname[0][:4]]))
    return conditions


def _named_rows(criteria: Criteria, subject_ids: list[int]) -> tuple[dict[int, dict], bool]:
    """Named subjects that may be the requester: by identifier, by name, and those judged the
    same as a registered subject found. {row pk: row}, and whether a query was cut off."""
    rows: dict[int, dict] = {}
    more = False
    conditions = []
    if (condition := _identifiers(criteria)) is not None:
        conditions.append(condition)
    conditions += _name_conditions(criteria)
    if subject_ids:
        linked = Mention.objects.filter(
            subject_id__in=subject_ids, judgement=Judgement.SAME
        ).values("report_subject_id")
        conditions.append(Q(pk__in=linked))
    for condition in conditions:
        # No join: the word conditions name the table's own columns.
        found = list(
            ReportSubject.objects.filter(condition)
            .order_by("-report_id")
            .values(*_ROW_FIELDS)[: CANDIDATES + 1]
        )
        more = more or len(found) > CANDIDATES
        rows.update((row["pk"], row) for row in found[:CANDIDATES])
    return rows, more


def _mentioned(criteria: Criteria, row: dict, linked: dict[int, Subject]) -> Mentioned | None:
    candidate = score(criteria.named(row["kind"]), cast(Subject, _Like(row)))
    subject = linked.get(row["pk"])
    if candidate is None and subject is None:
        return None
    reasons = _reasons(candidate.reasons) if candidate else []
    reasons += _address_reasons(criteria, row["house_letter"], row["addition"])
    if subject is not None:
        reasons.append(
            _("Judged the same as registered subject %(subject)s")
            % {"subject": _subject_text(subject)}
        )
    shown = row["name"] or " ".join(
        str(part) for part in (row["postcode"], row["house_number"] or "") if part
    )
    kind = SubjectKind(row["kind"]).label if row["kind"] in SubjectKind.values else row["kind"]
    return Mentioned(
        kind=str(kind),
        name=shown or row["license_plate"],
        reasons=reasons,
        linked_to=_subject_text(subject) if subject is not None else "",
    )


def _reports(criteria: Criteria, subject_ids: list[int]) -> Group:
    """Reports naming the requester (whether or not the named subject was linked to a
    registered one), at the requester's address, or with the name in the description."""
    rows, more = _named_rows(criteria, subject_ids)
    # A link to a registered subject tells only when that subject was found too.
    linked_rows = Mention.objects.filter(
        report_subject_id__in=list(rows), subject_id__in=subject_ids, judgement=Judgement.SAME
    ).select_related("subject")
    linked = {mention.report_subject_id: mention.subject for mention in linked_rows}
    by_report: dict[int, list[Mentioned]] = {}
    for row in rows.values():
        mentioned = _mentioned(criteria, row, linked)
        if mentioned is not None:
            by_report.setdefault(row["report_id"], []).append(mentioned)
    own: dict[int, list[str]] = {}
    if criteria.postcode and criteria.house_number:
        at = Report.objects.filter(postcode=criteria.postcode, house_number=criteria.house_number)
        for pk, letter, addition in at.order_by("-pk").values_list(
            "pk", "house_letter", "addition"
        )[:CANDIDATES]:
            own.setdefault(pk, []).append(_("The report's own address is the requester's address"))
            own[pk] += _address_reasons(criteria, letter, addition)
    if len(criteria.name) >= 3 and (described := description_condition(criteria.name)):
        found = list(
            Report.objects.filter(described)
            .order_by("-pk")
            .values_list("pk", flat=True)[: CANDIDATES + 1]
        )
        more = more or len(found) > CANDIDATES
        for pk in found[:CANDIDATES]:
            own.setdefault(pk, []).append(
                _("The name occurs in the description: “%(name)s”") % {"name": criteria.name}
            )
    ids = sorted(set(by_report) | set(own), reverse=True)
    shown = ids[:LIMIT]
    reports = Report.objects.select_related("category", "team").in_bulk(shown)
    sealed = set(Report.objects.filter(SEALED, pk__in=shown).values_list("pk", flat=True))
    items = []
    for pk in sorted(reports, key=lambda pk: reports[pk].received_at, reverse=True):
        report = reports[pk]
        mentions = by_report.get(pk, [])
        reasons = [mentioned.summary for mentioned in mentions] + own.get(pk, [])
        lines = [
            str(report.category) if report.category_id else "",
            _("team %(team)s") % {"team": report.team} if report.team_id else _("no team"),
            str(report.get_status_display()),
        ]
        if pk in sealed:
            lines.append(_("sealed: no one works with it"))
        items.append(
            Item(
                kind=HitKind.REPORT,
                object_id=pk,
                label=_report_text(report),
                reasons=reasons,
                lines=[line for line in lines if line],
                sealed=pk in sealed,
                mentions=mentions,
            )
        )
    return Group(HitKind.REPORT, items, more or len(ids) > LIMIT)


# --- what hangs on them -----------------------------------------------------------------------


def _relations(subject_ids: list[int]) -> Group:
    if not subject_ids:
        return Group(HitKind.RELATION)
    found = list(
        Relation.objects.filter(Q(source_id__in=subject_ids) | Q(target_id__in=subject_ids))
        .select_related("source", "target", "source_report")
        .order_by("-added_at", "-pk")[: LIMIT + 1]
    )
    items = []
    for relation in found[:LIMIT]:
        via = relation.source if relation.source_id in subject_ids else relation.target
        lines = []
        if relation.start_date or relation.end_date:
            lines.append(
                _("from %(start)s until %(end)s")
                % {
                    "start": dates.long(relation.start_date, default="?"),
                    "end": dates.long(relation.end_date, default="?"),
                }
            )
        if relation.source_report is not None:
            lines.append(_("source: report %(ref)s") % {"ref": relation.source_report.reference})
        elif relation.source_registry:
            lines.append(_("source: %(registry)s") % {"registry": relation.source_registry})
        items.append(
            Item(
                kind=HitKind.RELATION,
                object_id=relation.pk,
                label=_relation_text(relation),
                reasons=[_("Relation of %(subject)s") % {"subject": _subject_text(via)}],
                lines=lines,
            )
        )
    return Group(HitKind.RELATION, items, len(found) > LIMIT)


def _cases(report_ids: list[int]) -> tuple[Group, list[int]]:
    """Cases holding a report found; and the ids of all those cases (for the hand-overs)."""
    if not report_ids:
        return Group(HitKind.CASE), []
    held: dict[int, list[int]] = {}
    for case_id, report_id in CaseReport.objects.filter(report_id__in=report_ids).values_list(
        "case_id", "report_id"
    )[:CANDIDATES]:
        held.setdefault(case_id, []).append(report_id)
    cases = Case.objects.select_related("team", "stage").in_bulk(list(held))
    references = dict(
        Report.objects.filter(pk__in={pk for pks in held.values() for pk in pks}).values_list(
            "pk", "reference"
        )
    )
    items = []
    for case in sorted(cases.values(), key=lambda c: c.opened_at, reverse=True):
        reasons = [
            _("Holds report %(reference)s") % {"reference": references.get(pk, pk)}
            for pk in held[case.pk]
        ]
        lines = [
            _("team %(team)s") % {"team": case.team},
            _("closed %(date)s") % {"date": dates.long(timezone.localtime(case.closed_at).date())}
            if case.closed_at
            else str(case.stage.name),
        ]
        items.append(
            Item(
                kind=HitKind.CASE,
                object_id=case.pk,
                label=_case_text(case),
                reasons=reasons,
                lines=lines,
            )
        )
    return Group(HitKind.CASE, items[:LIMIT], len(items) > LIMIT), list(cases)


def _handovers(case_ids: list[int], subject_ids: list[int], report_ids: list[int]) -> Group:
    """Hand-overs of the cases found that shared a subject or report found: to whom, when, on
    which legal basis (the sharing register, cases.models.Handover)."""
    if not case_ids:
        return Group(HitKind.HANDOVER)
    subjects, reports = set(subject_ids), set(report_ids)
    items = []
    for handover in (
        Handover.objects.filter(case_id__in=case_ids)
        .select_related("case", "by")
        .order_by("-at")[:CANDIDATES]
    ):
        shared_subjects = subjects & set(handover.subjects)
        shared_reports = reports & set(handover.reports)
        if not (shared_subjects or shared_reports):
            continue
        reasons = []
        if shared_subjects:
            reasons.append(
                _("Shared registered subject %(ids)s")
                % {"ids": ", ".join(f"#{pk}" for pk in sorted(shared_subjects))}
            )
        if shared_reports:
            reasons.append(_("Shared %(count)s report(s) found") % {"count": len(shared_reports)})
        items.append(
            Item(
                kind=HitKind.HANDOVER,
                object_id=handover.pk,
                label=_handover_text(handover),
                reasons=reasons,
                lines=[
                    _("recipient: %(recipient)s (%(kind)s)")
                    % {
                        "recipient": handover.recipient,
                        "kind": handover.get_recipient_kind_display(),
                    },
                    _("legal basis: %(basis)s") % {"basis": handover.legal_basis},
                    _("what: %(what)s") % {"what": handover.what},
                    _("by %(who)s on %(at)s")
                    % {"who": handover.by, "at": dates.long(timezone.localtime(handover.at))},
                ],
            )
        )
    return Group(HitKind.HANDOVER, items[:LIMIT], len(items) > LIMIT)


def _reads(labels: dict[tuple[str, int], str]) -> tuple[list[Read], bool]:
    """Who read the subjects, reports and cases found (the audit log): per person, action and
    item, how often and when, the most recent first."""
    by_type: dict[str, list[str]] = {}
    for (kind, pk), _label in labels.items():
        for object_type, hit_kind in READ_TYPES.items():
            if hit_kind == kind:
                by_type.setdefault(object_type, []).append(str(pk))
    if not by_type:
        return [], False
    condition = Q()
    for object_type, ids in by_type.items():
        condition |= Q(object_type__in=audit_labels.codes_of(object_type), object_id__in=ids)
    # One row per person, action and item: how often, and when first and last.
    rows = list(
        AuditEntry.objects.filter(condition, action__in=READ_ACTIONS)
        .values("actor_id", "actor_role", "action", "object_type", "object_id")
        .annotate(times=Count("seq"), first=Min("at"), last=Max("at"))
        .order_by("-last", "actor_id")[: READS + 1]
    )
    users = User.objects.in_bulk({r["actor_id"] for r in rows if r["actor_id"] is not None})
    reads = []
    for row in rows[:READS]:
        kind = READ_TYPES.get(audit_labels.current_type(row["object_type"]), "")
        who = users.get(row["actor_id"]) if row["actor_id"] is not None else None
        role = audit_labels.role_label(row["actor_role"])
        reads.append(
            Read(
                at=row["last"],
                first=row["first"],
                times=row["times"],
                who=str(who) if who is not None else str(role),
                role=str(role),
                action=str(audit_labels.action_label(row["action"])),
                item=labels.get((kind, int(row["object_id"])), row["object_id"]),
            )
        )
    return reads, len(rows) > READS


# --- the judgements so far, and the entry point -----------------------------------------------


def judgements(request_pk: int) -> dict[tuple[str, int], str]:
    """The officer's last judgement per item on this request: confirmed or rejected."""
    judged: dict[tuple[str, int], str] = {}
    steps = (
        Step.objects.filter(request_id=request_pk, object_id__isnull=False)
        .exclude(item_kind="")
        .order_by("at", "pk")
        .values_list("item_kind", "object_id", "kind")
    )
    for kind, object_id, step in steps:
        if object_id is not None:
            judged[(kind, object_id)] = "confirmed" if step == StepKind.CONFIRMED else "rejected"
    return judged


def find(*, actor: Actor, pk: int, criteria: Criteria, record: bool = True) -> Findings:
    """Everything Baken holds that may be about the requester of request `pk`, grouped, each
    item with its reasons and the officer's judgement so far. The search is an audit entry
    with the ids it showed; `record` adds it to the request's timeline (what was searched
    by, never the values), not when the page shows the same search again after a judgement.

    Besides what is found, the subjects and reports confirmed on this request already bring
    their relations, cases and hand-overs."""
    if not may_handle(actor):
        raise Refused("not_found", _("There is no such request."), kind=Kind.NOT_FOUND)
    request = Request.objects.filter(pk=pk).first()
    if request is None:
        raise Refused("not_found", _("There is no such request."), kind=Kind.NOT_FOUND)
    confirmed = {(h.kind, h.object_id) for h in request.hits.all()}
    subjects, subject_ids = _subjects(criteria)
    subject_ids += [pk for kind, pk in confirmed if kind == HitKind.SUBJECT]
    reports = _reports(criteria, subject_ids)
    report_ids = reports.ids + [pk for kind, pk in confirmed if kind == HitKind.REPORT]
    relations = _relations(subject_ids)
    cases, case_ids = _cases(report_ids)
    handovers = _handovers(case_ids, subject_ids, report_ids)
    findings = Findings(criteria, subjects, reports, relations, cases, handovers)
    labels = {(i.kind, i.object_id): i.label for g in findings.groups for i in g.items}
    findings.reads, findings.reads_more = _reads(labels)
    judged = judgements(pk)
    for group in findings.groups:
        for item in group.items:
            item.state = judged.get((item.kind, item.object_id), "")
            if (item.kind, item.object_id) in confirmed:
                item.state = "confirmed"
    with transaction.atomic():
        if record:
            with translation.override(settings.LANGUAGE_CODE):
                text = _("Searched by %(used)s.") % {"used": ", ".join(criteria.used())}
            Step.objects.create(
                request=request,
                kind=StepKind.SEARCHED,
                text=text,
                by=cast(User, actor),
                at=timezone.now(),
            )
        audit_record(
            actor=actor,
            action=AuditAction.RIGHTS_SEARCH,
            target=request,
            detail={group.kind: group.ids for group in findings.groups},
        )
    return findings
