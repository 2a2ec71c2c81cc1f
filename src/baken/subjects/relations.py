"""Relations between subjects (issue 5, item 3): add and remove them, and read them for one
subject or as a network around it.

A relation is typed, dated and sourced, and shown on both ends. Need-to-know holds for
relations too: a relation exists for a user only when the user may see the subjects on
*both* ends (`subject_list`); the other end of a relation is never revealed otherwise, not
even as a count.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.refusals import Kind as RefusalKind
from baken.core.refusals import Refused
from baken.reports.permissions import Action
from baken.reports.selectors import report_list

from .access import known_subjects, not_found, require_role
from .models import Relation, Subject
from .selectors import subject_list

Kind = Relation.Kind
_PERSON, _ORG = Subject.Kind.PERSON, Subject.Kind.ORGANISATION
_ADDRESS, _VEHICLE = Subject.Kind.ADDRESS, Subject.Kind.VEHICLE
_PARTY = frozenset({_PERSON, _ORG})

# Which kinds of subject each relation may join: (from, to). The FollowTheMoney mapping in
# Relation's docstring needs these too (a Directorship's organisation is an Organization).
FITS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    Kind.OWNER_OF: (_PARTY, frozenset({_ORG, _ADDRESS, _VEHICLE})),
    Kind.DIRECTOR_OF: (_PARTY, frozenset({_ORG})),
    Kind.LIVES_AT: (frozenset({_PERSON}), frozenset({_ADDRESS})),
    Kind.REGISTERED_AT: (_PARTY, frozenset({_ADDRESS})),
    Kind.FAMILY_OF: (frozenset({_PERSON}), frozenset({_PERSON})),
    Kind.ASSOCIATE_OF: (_PARTY, _PARTY),
    Kind.USES_VEHICLE: (_PARTY, frozenset({_VEHICLE})),
    Kind.EMPLOYED_BY: (frozenset({_PERSON}), frozenset({_ORG})),
}
# Relations that read the same both ways: A family of B is B family of A.
SYMMETRIC = frozenset({Kind.FAMILY_OF, Kind.ASSOCIATE_OF})
# How a relation reads from its other end ("Jan owner of De Schuur" → "owned by Jan").
INVERSE_LABELS = {
    Kind.OWNER_OF: gettext_lazy("owned by"),
    Kind.DIRECTOR_OF: gettext_lazy("has as director"),
    Kind.LIVES_AT: gettext_lazy("address of"),
    Kind.REGISTERED_AT: gettext_lazy("registered address of"),
    Kind.FAMILY_OF: gettext_lazy("family of"),
    Kind.ASSOCIATE_OF: gettext_lazy("associate of"),
    Kind.USES_VEHICLE: gettext_lazy("used by"),
    Kind.EMPLOYED_BY: gettext_lazy("employs"),
}
MAX_DEPTH = 3
MAX_NODES = 200
REGISTRY_MAX = 200


class RelationRefused(Refused, ValueError):
    """Why a relation cannot be added or removed, per field (a core.refusals.Refused: the API
    and the pages show it without translating code)."""

    def __init__(self, problems: dict, *, kind: RefusalKind | None = None):
        super().__init__("relation_refused", problems=problems, kind=kind)


@dataclass(frozen=True)
class RelationView:
    """A relation as seen from one of its ends."""

    relation: Relation
    other: Subject
    outgoing: bool  # True when `subject` is the relation's source
    source_report_visible: bool

    @property
    def label(self) -> str:
        if self.outgoing:
            return str(self.relation.get_kind_display())
        return str(INVERSE_LABELS[Kind(self.relation.kind)])


# --- checks ------------------------------------------------------------------------------


def _kind_problems(*, source: Subject, target: Subject, kind: str) -> dict[str, str]:
    if kind not in Kind.values:
        return {"kind": _("Choose a kind of relation.")}
    if source.pk == target.pk:
        return {"target": _("A subject cannot have a relation with itself.")}
    froms, tos = FITS[kind]
    if source.kind not in froms or target.kind not in tos:
        return {
            "kind": _(
                "“%(kind)s” cannot link a %(source)s to a %(target)s: it needs a %(froms)s "
                "and a %(tos)s."
            )
            % {
                "kind": Kind(kind).label,
                "source": Subject.Kind(source.kind).label.lower(),
                "target": Subject.Kind(target.kind).label.lower(),
                "froms": _(" or ").join(str(Subject.Kind(k).label).lower() for k in sorted(froms)),
                "tos": _(" or ").join(str(Subject.Kind(k).label).lower() for k in sorted(tos)),
            }
        }
    return {}


def _source_problems(*, actor, source_report, source_registry: str) -> dict[str, str]:
    if source_report is None and not source_registry.strip():
        return {
            "source": _(
                "Say where this relation comes from: a report or a registry (e.g. KvK, BRP, RDW)."
            )
        }
    if len(source_registry) > REGISTRY_MAX:
        return {
            "source_registry": _("The registry name is at most %(max)d characters.")
            % {"max": REGISTRY_MAX}
        }
    if (
        source_report is not None
        and not report_list(user=actor).filter(pk=source_report.pk).exists()
    ):
        return {"source_report": _("Choose a report you may see.")}
    return {}


def _date_problems(start_date, end_date) -> dict[str, str]:
    if start_date and end_date and end_date < start_date:
        return {"end_date": _("The end date cannot be before the start date.")}
    return {}


def _duplicate(*, source: Subject, target: Subject, kind: str, start_date, end_date) -> bool:
    same = Q(source=source, target=target)
    if kind in SYMMETRIC:
        same |= Q(source=target, target=source)
    return Relation.objects.filter(
        same, kind=kind, start_date=start_date, end_date=end_date
    ).exists()


def check_relation(
    *,
    source: Subject,
    target: Subject,
    kind: str,
    actor,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    source_report=None,
    source_registry: str = "",
) -> None:
    """Raise RelationRefused unless the relation may be added by `actor`."""
    visible = subject_list(user=actor).filter(pk__in=[source.pk, target.pk]).count()
    if visible != len({source.pk, target.pk}):
        raise RelationRefused({"target": _("Choose a subject you may see.")})
    problems = {
        **_kind_problems(source=source, target=target, kind=kind),
        **_date_problems(start_date, end_date),
        **_source_problems(
            actor=actor, source_report=source_report, source_registry=source_registry
        ),
    }
    if not problems and _duplicate(
        source=source, target=target, kind=kind, start_date=start_date, end_date=end_date
    ):
        problems["kind"] = _("This relation has been recorded already.")
    if problems:
        raise RelationRefused(problems)


# --- services ----------------------------------------------------------------------------


def relation_add(
    *,
    source: Subject,
    target: Subject,
    kind: str,
    actor,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    source_report=None,
    source_registry: str = "",
) -> Relation:
    """Record that `source` stands in relation `kind` to `target`, with its source.

    Refused (404) when the actor may know of neither subject, (403) when their role may not
    link (reports.permissions, Action.LINK); with the reasons (400) when the other subject or
    the source report is not one they may see, or the relation does not fit (check_relation).
    The two subject rows are locked so that two people adding the same relation at once do
    not both succeed.
    """
    if not known_subjects(actor, source, target):
        raise not_found()
    require_role(actor, Action.LINK)
    source_registry = source_registry.strip()
    with transaction.atomic():
        list(
            Subject.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")
        )
        check_relation(
            source=source,
            target=target,
            kind=kind,
            actor=actor,
            start_date=start_date,
            end_date=end_date,
            source_report=source_report,
            source_registry=source_registry,
        )
        relation = Relation(
            kind=kind,
            source=source,
            target=target,
            start_date=start_date,
            end_date=end_date,
            source_report=source_report,
            source_registry=source_registry,
            added_by=actor,
            added_at=timezone.now(),
        )
        relation.full_clean()
        relation.save()
        audit_record(
            actor=actor, action=AuditAction.RELATION_ADD, target=relation, detail=_detail(relation)
        )
    return relation


def relation_remove(*, relation: Relation, actor) -> None:
    """Remove a relation recorded in error or no longer true. The audit entry keeps which
    relation it was (ids and kind), so the removal can be accounted for.

    Refused (404) when the relation is not one the actor may see (both ends: visible_relations)
    — removed already, or never theirs to know, alike — and (403) when their role may not link.
    """
    with transaction.atomic():
        locked = visible_relations(user=actor).select_for_update().filter(pk=relation.pk).first()
        if locked is None:
            raise RelationRefused(
                {"relation": _("This relation has been removed already.")},
                kind=RefusalKind.NOT_FOUND,
            )
        require_role(actor, Action.LINK)
        detail = _detail(locked)
        target = Target.of(locked)
        locked.delete()
        audit_record(actor=actor, action=AuditAction.RELATION_REMOVE, target=target, detail=detail)


def _detail(relation: Relation) -> dict:
    return {
        "kind": relation.kind,
        "source": relation.source_id,
        "target": relation.target_id,
        "source_report": relation.source_report_id,
    }


# --- selectors ---------------------------------------------------------------------------


def visible_relations(*, user) -> QuerySet[Relation]:
    """The relations whose two ends this user may both see."""
    visible = subject_list(user=user).values("pk")
    return Relation.objects.filter(source__in=visible, target__in=visible)


def relation_get(*, user, pk: int) -> Relation | None:
    return visible_relations(user=user).select_related("source", "target").filter(pk=pk).first()


def relations_of(*, user, subject: Subject) -> list[RelationView]:
    """The subject's relations on both ends that this user may see, each with its other end.

    Precondition: `subject` is visible to `user` (subject_get). The source report is named
    only when the user may see it too.
    """
    relations = list(
        visible_relations(user=user)
        .filter(Q(source=subject) | Q(target=subject))
        .select_related("source", "target", "source_report", "added_by")
        .order_by("kind", "start_date", "pk")
    )
    report_ids = {r.source_report_id for r in relations if r.source_report_id}
    seen_reports = (
        set(
            report_list(user=user)
            .filter(pk__in=report_ids)
            .select_related(None)
            .prefetch_related(None)
            .values_list("pk", flat=True)
        )
        if report_ids
        else set()
    )
    return [
        RelationView(
            relation=r,
            other=r.target if r.source_id == subject.pk else r.source,
            outgoing=r.source_id == subject.pk,
            source_report_visible=r.source_report_id in seen_reports,
        )
        for r in relations
    ]
