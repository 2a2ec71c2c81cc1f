"""Criteria backed by facts: what a case records decides a derived criterion (ADR 0012,
"Derived criteria"), so "Zijn de interventies vastgelegd? — ja" cannot be said of a case
without an intervention, and the privacy officer's approval is not typed in by hand.

Each fact is read from the records the case keeps — interventions, source consultations,
the sharing register, the answers to the plan of approach's privacy checks — when it is
asked, never stored: a derived answer is always what the records say now.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import (
    Case,
    CaseAnswer,
    Consultation,
    ConsultationState,
    Fact,
    Handover,
    Intervention,
    StageCriterion,
)

# The plan of approach's privacy checks (catalogue.py); new versions keep their codes.
PRIVACY_CHECKS = {"privacytoets-2a": "2A", "privacytoets-2b": "2B"}


@dataclass(frozen=True)
class Derived:
    """A derived criterion's state: met or not, and why, in a sentence for the page."""

    met: bool
    explanation: str


def _interventions(case: Case | None, count: int | None = None) -> Derived:
    if count is None:
        count = Intervention.objects.filter(case=case).count()
    if count:
        return Derived(
            True,
            ngettext(
                "Derived: %(count)d intervention recorded.",
                "Derived: %(count)d interventions recorded.",
                count,
            )
            % {"count": count},
        )
    return Derived(False, _("Not yet: no intervention is recorded."))


def _consultations(case: Case) -> dict[str, int]:
    approved = Q(state=ConsultationState.APPROVED)
    return Consultation.objects.filter(case=case).aggregate(
        approved=Count("pk", filter=approved),
        waiting=Count("pk", filter=Q(state=ConsultationState.REQUESTED)),
        without_hit=Count("pk", filter=approved & Q(hit__isnull=True)),
    )


def _sources_approved(case: Case, counts: dict | None = None) -> Derived:
    """Met once the privacy officer approved a source and none waits for a decision: the
    sources to consult are then the approved ones (model protocol, step 3)."""
    counts = _consultations(case) if counts is None else counts
    if counts["waiting"]:
        return Derived(
            False,
            ngettext(
                "Not yet: %(count)d source awaits the privacy officer.",
                "Not yet: %(count)d sources await the privacy officer.",
                counts["waiting"],
            )
            % {"count": counts["waiting"]},
        )
    if not counts["approved"]:
        return Derived(False, _("Not yet: the privacy officer has approved no source."))
    return Derived(
        True,
        ngettext(
            "Derived: %(count)d source approved by the privacy officer.",
            "Derived: %(count)d sources approved by the privacy officer.",
            counts["approved"],
        )
        % {"count": counts["approved"]},
    )


def _hits_recorded(case: Case, counts: dict | None = None) -> Derived:
    counts = _consultations(case) if counts is None else counts
    if not counts["approved"]:
        return Derived(False, _("Not yet: no source is approved to consult."))
    if counts["without_hit"]:
        return Derived(
            False,
            ngettext(
                "Not yet: for %(count)d approved source it is not recorded whether there "
                "was a hit.",
                "Not yet: for %(count)d approved sources it is not recorded whether there "
                "was a hit.",
                counts["without_hit"],
            )
            % {"count": counts["without_hit"]},
        )
    return Derived(
        True,
        ngettext(
            "Derived: hit or no hit recorded for %(count)d approved source.",
            "Derived: hit or no hit recorded for %(count)d approved sources.",
            counts["approved"],
        )
        % {"count": counts["approved"]},
    )


def _handovers(case: Case | None, count: int | None = None) -> Derived:
    if count is None:
        count = Handover.objects.filter(case=case).count()
    if count:
        return Derived(
            True,
            ngettext(
                "Derived: %(count)d hand-over in the sharing register.",
                "Derived: %(count)d hand-overs in the sharing register.",
                count,
            )
            % {"count": count},
        )
    return Derived(False, _("Not yet: the sharing register holds no hand-over of this case."))


def _privacy_checks(case: Case) -> Derived:
    answered = set(
        CaseAnswer.objects.filter(case=case, criterion__code__in=PRIVACY_CHECKS).values_list(
            "criterion__code", flat=True
        )
    )
    missing = [label for code, label in PRIVACY_CHECKS.items() if code not in answered]
    if missing:
        return Derived(
            False,
            _("Not yet: privacy check %(checks)s of the plan of approach is not answered.")
            % {"checks": _(" and ").join(missing)},
        )
    return Derived(True, _("Derived: privacy checks 2A and 2B are answered."))


_READERS: dict[str, Callable[..., Derived]] = {
    Fact.INTERVENTION_RECORDED: _interventions,
    Fact.SOURCES_APPROVED: _sources_approved,
    Fact.HITS_RECORDED: _hits_recorded,
    Fact.HANDOVER_REGISTERED: _handovers,
    Fact.PRIVACY_CHECKS_ANSWERED: _privacy_checks,
}


def fact_state(case: Case, fact: str) -> Derived:
    return _READERS[fact](case)


def _counted(case: Case, fact: str, known: dict) -> Derived | None:
    """A fact from the rows in `known` (interventions, consultations, handovers: every row
    of the case), the same as its reader says; None for a fact not counted from rows."""
    if fact == Fact.INTERVENTION_RECORDED and "interventions" in known:
        return _from_count(_interventions, len(known["interventions"]))
    if fact == Fact.HANDOVER_REGISTERED and "handovers" in known:
        return _from_count(_handovers, len(known["handovers"]))
    if fact in (Fact.SOURCES_APPROVED, Fact.HITS_RECORDED) and "consultations" in known:
        rows = known["consultations"]
        approved = [c for c in rows if c.state == ConsultationState.APPROVED]
        counts = {
            "approved": len(approved),
            "waiting": sum(1 for c in rows if c.state == ConsultationState.REQUESTED),
            "without_hit": sum(1 for c in approved if c.hit is None),
        }
        reader = _sources_approved if fact == Fact.SOURCES_APPROVED else _hits_recorded
        return reader(case, counts=counts)
    return None


def _from_count(reader, count: int) -> Derived:
    return reader(None, count=count)


def derived_states(
    case: Case, criteria: Iterable[StageCriterion], *, known: dict | None = None
) -> dict[int, Derived]:
    """The state of each derived criterion among `criteria`, by its id; each fact read once.
    `known`: rows of the case read already (interventions, consultations, handovers), from
    which those facts are counted without asking the database again."""
    states: dict[str, Derived] = {}
    found = {}
    for criterion in criteria:
        if criterion.fact:
            if criterion.fact not in states:
                counted = _counted(case, criterion.fact, known) if known else None
                states[criterion.fact] = counted or fact_state(case, criterion.fact)
            found[criterion.pk] = states[criterion.fact]
    return found
