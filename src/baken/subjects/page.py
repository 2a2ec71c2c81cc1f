"""What the report page's subjects panel and the subject page show, in a bounded number of
queries whatever the size of the register (a query-count test guards both)."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext as _

from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.reports.models import Report
from baken.reports.permissions import Action, can
from baken.reports.selectors import report_list

from .corrections import version_list
from .matching import candidates_for
from .models import Judgement, Mention, Relation, Subject
from .search import name_matches
from .selectors import compiled, subject_list


def named_label(report_subject) -> str:
    """How the report names a subject, for a heading."""
    rs = report_subject
    address = " ".join(
        str(part) for part in (rs.street, rs.house_number or "", rs.postcode, rs.city) if part
    )
    return rs.name or rs.license_plate or rs.kvk_number or address or "—"


# --- the report page's panel ------------------------------------------------------------


def report_panel_context(*, user, report: Report) -> dict:
    """Per named subject: the subject it is linked to (judged the same), or the candidates.

    Precondition: `report` came from report_get (visible; its subjects prefetched)."""
    named = list(report.subjects.all())
    linked: dict[int, Subject] = {}
    restricted_member: dict[int, bool] = {}  # linked through a subject restricted itself
    for mention in Mention.objects.filter(
        report_subject__in=named, judgement=Judgement.SAME
    ).select_related("subject__merged_into"):
        linked[mention.report_subject_id] = mention.subject.merged_into or mention.subject
        restricted_member[mention.report_subject_id] = mention.subject.restricted_at is not None
    rows = []
    shown: list[int] = []
    for rs in named:
        subject = linked.get(rs.pk)
        # Linked to a subject restricted on a request (subjects/restriction.py): the panel
        # says so, names nothing and offers nothing to link or register again.
        restricted = subject is not None and (
            subject.restricted_at is not None or restricted_member.get(rs.pk, False)
        )
        if restricted:
            subject = None
        candidates = [] if subject or restricted else candidates_for(user=user, report_subject=rs)
        shown += [subject.pk] if subject else [c.subject.pk for c in candidates]
        rows.append(
            {
                "named": rs,
                "label": named_label(rs),
                "subject": subject,
                "restricted": restricted,
                "candidates": candidates,
            }
        )
    if shown:
        audit_record(
            actor=user,
            action=AuditAction.SUBJECT_LIST,
            target=Target("subjects.subject", "*"),
            detail={"ids": sorted(set(shown)), "report": report.pk},
        )
    # A merged report is a record: subjects are linked on its leading report.
    can_link = can(user, Action.LINK) and report.merged_into_id is None
    return {"report": report, "rows": rows, "can_link": can_link}


# --- the subject page -------------------------------------------------------------------

# What one read of the subject page shows: the page itself, then its relations panel (htmx),
# which logs no read of its own when it carries the page view's token (audit/page_views.py).
PAGE_PARTS = [
    "data",
    "versions",
    "reports",
    "merged",
    "timeline",
    "places",
    "relations",
    "cases",
]


@dataclass(frozen=True)
class Event:
    at: datetime
    text: str
    url: str = ""


def _mentions(visible_reports, ids: list[int]) -> list[Mention]:
    return list(
        Mention.objects.filter(subject_id__in=ids, report_subject__report__in=visible_reports)
        .select_related("report_subject__report__category", "judged_by")
        .order_by("judged_at", "pk")
    )


def _relations(visible: RawSQL, ids: list[int]) -> list[Relation]:
    """Relations of this subject whose other end the user may know of too (`visible`: the
    ids of the subjects this user may know of, compiled once: selectors.compiled)."""
    return list(
        Relation.objects.filter(
            Q(source_id__in=ids, target__in=visible) | Q(target_id__in=ids, source__in=visible)
        ).select_related("source", "target")
    )


def _who(user) -> str:
    return user.get_full_name() or user.username


def _timeline(subject: Subject, mentions, reports, relations) -> list[Event]:
    events = [Event(subject.created_at, _("Subject registered"))]
    for report in reports:
        text = _("Report %(reference)s received") % {"reference": report.reference}
        events.append(Event(report.received_at, text, reverse("reports:detail", args=[report.pk])))
    for mention in mentions:
        text = _("%(who)s judged “%(named)s” in %(reference)s: %(judgement)s") % {
            "who": _who(mention.judged_by),
            "named": named_label(mention.report_subject),
            "reference": mention.report_subject.report.reference,
            "judgement": Judgement(mention.judgement).label,
        }
        events.append(Event(mention.judged_at, text))
    for relation in relations:
        text = _("Relation added: %(source)s %(kind)s %(target)s") % {
            "source": relation.source.name,
            "kind": Relation.Kind(relation.kind).label,
            "target": relation.target.name,
        }
        events.append(Event(relation.added_at, text))
    return sorted(events, key=lambda e: e.at)


def _places(subject: Subject, reports: list[Report]) -> list[dict]:
    places = []
    if subject.lat is not None and subject.lon is not None:
        places.append({"lat": subject.lat, "lon": subject.lon, "label": subject.name})
    for report in reports:
        if report.lat is not None and report.lon is not None:
            places.append({"lat": report.lat, "lon": report.lon, "label": report.reference})
    return places


def subject_page_context(*, user, subject: Subject) -> dict:
    """Precondition: `subject` came from subject_get (visible, the read logged)."""
    # A subject merged into this one and restricted on its own (AVG art. 18, before that
    # was refused) is not shown, nor what names it.
    merged = list(subject.merged_subjects.filter(restricted_at__isnull=True))
    ids = [subject.pk, *(m.pk for m in merged)]
    # The user's scope built once: the reports they may see, and the subjects they may know
    # of compiled once for the several queries that name it.
    visible_reports = compiled(report_list(user=user).select_related(None).prefetch_related(None))
    visible = compiled(subject_list(user=user, reports=visible_reports))
    mentions = _mentions(visible_reports, ids)
    reports: dict[int, Report] = {}
    for mention in mentions:
        if mention.judgement == Judgement.SAME:
            report = mention.report_subject.report
            reports.setdefault(report.pk, report)
    ordered = sorted(reports.values(), key=lambda r: r.received_at, reverse=True)
    relations = _relations(visible, ids)
    places = _places(subject, ordered)
    may_merge = can(user, Action.MERGE)
    return {
        "subject": subject,
        "merged": merged,
        "reports": ordered,
        "timeline": _timeline(subject, mentions, ordered, relations),
        "versions": version_list(subject=subject),
        "places": places,
        "places_json": json.dumps(places),
        "tile_url": settings.MAP_TILE_URL,
        "can_merge": may_merge,
        "merge_candidates": merge_candidates(user=user, subject=subject, visible=visible)
        if may_merge
        else [],
    }


MERGE_CANDIDATES = 20


def merge_candidates(*, user, subject: Subject, visible: RawSQL | None = None) -> list[Subject]:
    """Subjects of the same kind that this user may know of and that may be the same: the
    same identifier, or a similar name (best first). Only a person's choice merges.
    `visible`: the ids of the subjects the user may know of, compiled (selectors.compiled)
    by a caller that built them already."""
    if visible is None:
        visible = compiled(subject_list(user=user))
    # Not a subject others were merged into: that merge goes the other way round.
    others = (
        Subject.objects.filter(pk__in=visible)
        .filter(kind=subject.kind, merged_subjects__isnull=True)
        .exclude(pk=subject.pk)
    )
    same_identifier = Q()
    for key in ("bsn", "kvk_number", "license_plate"):
        if value := getattr(subject, key):
            same_identifier |= Q(**{key: value})
    found = list(others.filter(same_identifier)[:MERGE_CANDIDATES]) if same_identifier else []
    ranked = [
        pk
        for pk, _score in name_matches(subject.name_key, within=others, limit=MERGE_CANDIDATES)
        if pk not in {s.pk for s in found}
    ]
    by_pk = Subject.objects.in_bulk(ranked)
    offered = (found + [by_pk[pk] for pk in ranked if pk in by_pk])[:MERGE_CANDIDATES]
    if offered:  # names and numbers of other subjects are shown: a read, logged
        audit_record(
            actor=user,
            action=AuditAction.SUBJECT_LIST,
            target=Target("subjects.subject", "*"),
            detail={"ids": sorted(s.pk for s in offered), "merge_into": subject.pk},
        )
    return offered
