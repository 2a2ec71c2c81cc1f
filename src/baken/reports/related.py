"""Related reports: other reports the user may see that share an address, a named subject's
identifier, a similar name, or that lie close in place and time (issue "Werkruimte I",
item 8; docs/product.md#glossary, "in context plaatsen").

Bounded work: candidates come from a handful of queries, one per kind of clue, each limited,
through `report_list` (need-to-know first, then matching). Only those candidates are loaded
and scored in Python, so the cost does not grow with the number of reports.

The exact clues (an address, a BSN, a KvK number, a licence plate) are looked up in every
report the user may see, on their indexes. The fuzzy ones have no index to read: a word of a
name anywhere in a name, a box of 250 m around a point with a window of 30 days. At a
national scale (bench/README.md: 1,000,000 reports, 450,000 of one team) reading them over
the whole scope took seconds, so they are looked for among at most FUZZY_WINDOW reports of the
scope: similar names among the newest, closeness in place and time among those received
last before the end of the report's window. The panel says so (`fuzzy_window`); at a
municipality's volume that window holds months of reports.

A team member's judgement is remembered in `ReportLink` (one row per pair, lower id first):
a linked report is always shown as linked, a dismissed one is never suggested again.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.names import fold, names_similar, normalise_name
from baken.core.refusals import Refused

from .models import LinkKind, Report, ReportLink, ReportSubject, SubjectKind
from .selectors import report_list, report_list_logged

LIMIT = 20  # shown at most
CANDIDATES = 50  # read per kind of clue at most
FUZZY_WINDOW = 2_000  # reports searched for a similar name or closeness in place and time
NEARBY_METRES = 250
NEARBY_DAYS = 30
_EARTH_METRES = 6_371_000
_METRES_PER_DEGREE = 111_320


@dataclass(frozen=True)
class Reason:
    code: str  # address, bsn, kvk, plate, name, place_time
    text: str  # plain Dutch, for the team


@dataclass
class Related:
    report: Report
    reasons: list[Reason] = field(default_factory=list)
    linked: bool = False


class LinkRefused(Refused, ValueError):
    """A judgement of two reports that cannot be made; `problems` names each field
    (a core.refusals.Refused: the API and the pages show it without translating code)."""

    def __init__(self, problems: dict):
        super().__init__("link_refused", problems=problems)


# --- names: shared with subject matching (core/names.py) ---------------------------


def _search_words(name: str, kind: str) -> set[str]:
    """Words to find candidate names in the database with: the significant parts, as
    typed and without diacritics (a LIKE cannot fold them)."""
    words = {w for w in normalise_name(name, kind).split() if len(w) >= 3}
    typed = {w for w in re.split(r"[^\w]+", name) if len(w) >= 3 and fold(w) in words}
    return words | typed


# --- clues of one report -----------------------------------------------------------------

_NAMED = (SubjectKind.PERSON, SubjectKind.ORGANISATION)


@dataclass
class _Clues:
    addresses: set[tuple[str, int]]
    bsns: set[str]
    kvks: set[str]
    plates: set[str]
    names: list[tuple[str, str]]  # (kind, name as given)
    point: tuple[float, float] | None
    moment: datetime


def _clues(report: Report, subjects: list[ReportSubject] | None = None) -> _Clues:
    """`subjects`: the report's named subjects when read for many reports at once."""
    subjects = list(report.subjects.all()) if subjects is None else subjects
    addresses = {(s.postcode, s.house_number) for s in [report, *subjects]}
    return _Clues(
        addresses={(pc, hn) for pc, hn in addresses if pc and hn},
        bsns={s.bsn for s in subjects if s.bsn},
        kvks={s.kvk_number for s in subjects if s.kvk_number},
        plates={s.license_plate for s in subjects if s.license_plate},
        names=[(s.kind, s.name) for s in subjects if s.kind in _NAMED and s.name.strip()],
        point=(report.lat, report.lon)
        if report.lat is not None and report.lon is not None
        else None,
        moment=report.observed_start or report.received_at,
    )


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_METRES * math.asin(math.sqrt(h))


def _address_text(postcode: str, number: int) -> str:
    return f"{postcode[:4]} {postcode[4:]} {number}"


def _reasons(mine: _Clues, theirs: _Clues) -> list[Reason]:
    reasons = [
        Reason("address", _("Same address: %(address)s") % {"address": _address_text(*a)})
        for a in sorted(mine.addresses & theirs.addresses)
    ]
    if mine.bsns & theirs.bsns:
        # The number itself is not repeated: it is the most sensitive identifier there is.
        reasons.append(Reason("bsn", _("Same BSN of a named person")))
    reasons += [
        Reason("kvk", _("Same KvK number: %(number)s") % {"number": kvk})
        for kvk in sorted(mine.kvks & theirs.kvks)
    ]
    reasons += [
        Reason("plate", _("Same licence plate: %(plate)s") % {"plate": plate})
        for plate in sorted(mine.plates & theirs.plates)
    ]
    reasons += _name_reasons(mine, theirs)
    if near := _nearby(mine, theirs):
        reasons.append(near)
    return reasons


def _name_reasons(mine: _Clues, theirs: _Clues) -> list[Reason]:
    found: list[Reason] = []
    for kind, name in mine.names:
        for other_kind, other_name in theirs.names:
            if kind == other_kind and names_similar(name, other_name, kind):
                text = _("Similar name: “%(this)s” and “%(other)s”") % {
                    "this": name,
                    "other": other_name,
                }
                found.append(Reason("name", text))
                break
    return found


def _nearby(mine: _Clues, theirs: _Clues) -> Reason | None:
    if mine.point is None or theirs.point is None:
        return None
    metres = _metres(mine.point, theirs.point)
    days = abs((mine.moment - theirs.moment).days)
    if metres > NEARBY_METRES or days > NEARBY_DAYS:
        return None
    text = _("Close in place and time: %(metres)d m and %(days)d days apart") % {
        "metres": round(metres),
        "days": days,
    }
    return Reason("place_time", text)


# --- candidates ----------------------------------------------------------------------------


def _conditions(clues: _Clues) -> list[Q]:
    """One condition per kind of exact clue, each on indexed columns."""
    conditions = _address_conditions(clues)
    identifiers = Q()
    for lookup, values in (
        ("subjects__bsn__in", clues.bsns),
        ("subjects__kvk_number__in", clues.kvks),
        ("subjects__license_plate__in", clues.plates),
    ):
        if values:
            identifiers |= Q(**{lookup: values})
    return conditions + ([identifiers] if identifiers else [])


def _newest(scope: QuerySet[Report], end: datetime | None = None) -> QuerySet:
    """The FUZZY_WINDOW reports of `scope` received last (up to `end`; None: the newest),
    read newest first on the index of received_at: a query of their ids."""
    recent = scope.filter(received_at__lte=end) if end is not None else scope
    return recent.order_by("-received_at").values_list("pk", flat=True)[:FUZZY_WINDOW]


def _similar_names(clues: _Clues, newest: list[int]) -> list[int]:
    """The newest CANDIDATES reports of `newest` naming a subject of the same kind with a
    significant word of one of this report's names in its name."""
    words = Q()
    for kind, name in clues.names:
        for word in _search_words(name, kind):
            words |= Q(kind=kind, name__icontains=word)
    if not words or not newest:
        return []
    named = set(
        ReportSubject.objects.filter(words, report_id__in=newest)
        .order_by()
        .values_list("report_id", flat=True)
        .distinct()
    )
    return [pk for pk in newest if pk in named][:CANDIDATES]


def _near_condition(clues: _Clues, point: tuple[float, float]) -> Q:
    lat, lon = point
    dlat = NEARBY_METRES / _METRES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    window = timedelta(days=NEARBY_DAYS)
    start, end = clues.moment - window, clues.moment + window
    return Q(lat__range=(lat - dlat, lat + dlat), lon__range=(lon - dlon, lon + dlon)) & (
        Q(observed_start__range=(start, end))
        | Q(observed_start__isnull=True, received_at__range=(start, end))
    )


def _fuzzy_candidates(scope: QuerySet[Report], clues: _Clues) -> set[int]:
    """Similar names among the newest FUZZY_WINDOW reports of the scope; closeness in place
    and time among the FUZZY_WINDOW received last up to the end of the report's window of
    NEARBY_DAYS (the newest again while that end has not come)."""
    if not clues.names and clues.point is None:
        return set()
    newest = list(_newest(scope))
    ids = set(_similar_names(clues, newest))
    if clues.point is not None:
        end = clues.moment + timedelta(days=NEARBY_DAYS)
        window = newest if end >= timezone.now() else _newest(scope, end)
        close = scope.filter(_near_condition(clues, clues.point), pk__in=window)
        ids.update(close.order_by("-received_at").values_list("pk", flat=True)[:CANDIDATES])
    return ids


def _address_conditions(clues: _Clues) -> list[Q]:
    """The report's own address (indexed: report_address_idx) and named address subjects."""
    if not clues.addresses:
        return []
    on_report, on_subject = Q(), Q()
    for postcode, number in clues.addresses:
        on_report |= Q(postcode=postcode, house_number=number)
        on_subject |= Q(subjects__postcode=postcode, subjects__house_number=number)
    return [on_report, on_subject]


def _judgements(report: Report) -> dict[int, str]:
    """The other report's id → the kind of link stored for the pair."""
    links = ReportLink.objects.filter(Q(report=report) | Q(other=report)).values_list(
        "report_id", "other_id", "kind"
    )
    return {(b if a == report.pk else a): kind for a, b, kind in links}


def related_for(*, user: User, report: Report) -> list[Related]:
    """Other reports this user may see that look related to `report`, each with why.

    Precondition: `report` came from `selectors.report_get` for this user (it is theirs to
    see). Linked reports come first; dismissed ones never. Reading the list is logged with
    the ids shown.
    """
    scope = report_list(user=user).select_related(None).prefetch_related(None)
    # Its own duplicates and split-off reports are shown by the page as such, not suggested.
    scope = scope.exclude(pk=report.pk).exclude(merged_into=report).exclude(split_from=report)
    if report.merged_into_id:
        scope = scope.exclude(pk=report.merged_into_id)
    if report.split_from_id:
        scope = scope.exclude(pk=report.split_from_id)
    mine = _clues(report)
    judged = _judgements(report)
    ids: set[int] = {pk for pk, kind in judged.items() if kind == LinkKind.RELATED}
    for condition in _conditions(mine):
        ids.update(
            scope.filter(condition)
            .order_by("-received_at")
            .values_list("pk", flat=True)[:CANDIDATES]
        )
    ids.update(_fuzzy_candidates(scope, mine))
    ids -= {pk for pk, kind in judged.items() if kind == LinkKind.DISMISSED}
    candidates = list(scope.filter(pk__in=ids).select_related("category")) if ids else []
    # Their subjects in one query, grouped here (cheaper than prefetch_related's querysets
    # per report, for up to a few hundred candidates).
    subjects: dict[int, list[ReportSubject]] = {other.pk: [] for other in candidates}
    if candidates:
        for subject in ReportSubject.objects.filter(report_id__in=list(subjects)):
            subjects[subject.report_id].append(subject)
    found = []
    for other in candidates:
        linked = judged.get(other.pk) == LinkKind.RELATED
        reasons = _reasons(mine, _clues(other, subjects[other.pk]))
        if reasons or linked:
            found.append(Related(report=other, reasons=reasons, linked=linked))
    found.sort(key=lambda r: (not r.linked, -len(r.reasons), -r.report.received_at.timestamp()))
    found = found[:LIMIT]
    report_list_logged(user=user, reports=[r.report for r in found])
    return found


# --- judging a suggestion ------------------------------------------------------------------


def report_link(
    *, report: Report, other: Report, actor: User, kind: str, reason: str = ""
) -> ReportLink:
    """Record that `other` is related to `report`, or is not (dismissed: not suggested again).

    One row per pair, the lower id first; a new judgement replaces the earlier one. The
    caller checked that the actor may see both reports and may link (permissions.Action.LINK).
    """
    problems = {}
    if kind not in LinkKind.values:
        problems["kind"] = _("Choose related or not related.")
    if report.pk == other.pk:
        problems["other"] = _("A report cannot be linked to itself.")
    if len(reason) > 300:
        problems["reason"] = _("Keep the reason under 300 characters.")
    if problems:
        raise LinkRefused(problems)
    low, high = sorted((report.pk, other.pk))
    with transaction.atomic():
        # Lock both reports, in id order, so that two judgements of one pair queue up.
        locked = Report.objects.select_for_update().filter(pk__in=(low, high)).order_by("pk")
        if any(r.pk == report.pk and r.merged_into_id is not None for r in locked):
            raise LinkRefused(
                {
                    "report": _(
                        "This report was merged into another report; judge related reports "
                        "on the leading report."
                    )
                }
            )
        link, created = ReportLink.objects.update_or_create(
            report_id=low,
            other_id=high,
            defaults={
                "kind": kind,
                "reason": reason.strip(),
                "author": actor,
                "at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_LINK,
            target=report,
            detail={"other": other.pk, "kind": kind, "link": link.pk, "created": created},
        )
    return link
