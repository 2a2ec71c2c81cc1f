"""Practice scenarios (issue 17, /melden/oefenen): the reads and writes behind the public
page, the administrator's pages, the team's counts and the API.

An employee's answer is kept only as one more in a count per scenario and answer: no time,
no session, no address, no audit entry (docs/awareness.md). The administrator's changes are
audited like every configuration change. Each function that needs a role takes the actor and
refuses on its own (core.refusals.Refused).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import Actor
from baken.core.ratelimits import is_limited
from baken.core.refusals import Kind, Refused
from baken.core.roles import Capability

from .models import PracticeAnswer, PracticeScenario, PracticeTally

# A scenario is highlighted for the team when at least this many answered it and fewer than
# half of them gave the advised answer: few answers say too little to retune a training on.
HIGHLIGHT_FROM = 5
HIGHLIGHT_BELOW = 0.5


def _forbidden() -> Refused:
    return Refused("forbidden", _("You are not allowed to do this."), kind=Kind.FORBIDDEN)


def _refuse_unless(actor: Actor, *capabilities: str) -> None:
    if not (isinstance(actor, User) and actor.is_active and any(map(actor.can, capabilities))):
        raise _forbidden()


# --- the public page and the API -------------------------------------------------------------


def scenarios_active() -> QuerySet[PracticeScenario]:
    """The scenarios an employee can practise with, in the administrator's order: switched
    on, of a theme that is in the catalogue (a switched-off theme shows no signs)."""
    return (
        PracticeScenario.objects.filter(is_active=True, category__is_active=True)
        .select_related("category")
        .order_by("position", "pk")
    )


def scenario_active(pk: int) -> PracticeScenario:
    """One scenario to practise with, or 404 (unknown and switched-off alike)."""
    scenario = scenarios_active().filter(pk=pk).first()
    if scenario is None:
        raise Refused(
            "practice_scenario_unknown",
            _("This practice situation does not exist or is no longer used."),
            kind=Kind.NOT_FOUND,
        )
    return scenario


def signs_of(scenario: PracticeScenario) -> list[str]:
    """The signs of the scenario's theme in the catalogue (the indicator guide)."""
    return list(scenario.category.indicators.order_by("position").values_list("text", flat=True))


def answer_check(answer: str) -> PracticeAnswer:
    if answer not in PracticeAnswer.values:
        raise Refused(
            "practice_answer_unknown",
            _("Choose one of the three answers."),
            field="answer",
        )
    return PracticeAnswer(answer)


def answer_limited(request, *, scenario_id: int) -> bool:
    """Count this answer against the limits; True when it goes over one of them.

    Three limits (settings.RATELIMITS): per client for all scenarios together, per client for
    this one scenario, and for everyone together. The client's address only ever exists in a
    hashed cache key that expires with its window (core.ratelimits). A training room behind one
    address answers every scenario from there, so the per-client limits are generous; the one
    per scenario keeps a single client from tipping one scenario's counts."""
    if not settings.RATELIMIT_ENABLE:
        return False
    return is_limited(request, "practice") or is_ratelimited(
        request,
        group=f"baken.practice_scenario.{scenario_id}",
        key="ip",
        rate=settings.RATELIMITS["practice_scenario"],
        increment=True,
    )


def answer_record(*, scenario_id: int, answer: str) -> PracticeScenario:
    """Count one answer to an active scenario, and give the scenario back (its advice and
    explanation are the answer's reply). Unknown answers are refused (400) and unknown or
    switched-off scenarios (404) before anything is counted."""
    chosen = answer_check(answer)
    scenario = scenario_active(scenario_id)
    _count(scenario_id=scenario.pk, answer=chosen)
    return scenario


def _count(*, scenario_id: int, answer: str) -> None:
    """One more in the scenario's count for `answer`, race-safe without a lock held across a
    request: the increment is one UPDATE with F() in the database. The first answer of its
    kind creates the row; when two first answers meet, the unique constraint lets one create
    it and the other (on PostgreSQL it waits for the first to commit) increments it. On
    SQLite the writers queue already (BEGIN IMMEDIATE, settings)."""
    tallies = PracticeTally.objects.filter(scenario_id=scenario_id, answer=answer)
    with transaction.atomic():
        if tallies.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():  # a savepoint: losing the race to create is no error
                PracticeTally.objects.create(scenario_id=scenario_id, answer=answer, count=1)
        except IntegrityError:
            tallies.update(count=F("count") + 1)


# --- the functional administrator ------------------------------------------------------------


def scenario_list(*, actor: Actor) -> QuerySet[PracticeScenario]:
    _refuse_unless(actor, Capability.CONFIGURE)
    return PracticeScenario.objects.select_related("category").order_by("position", "pk")


def scenario_for_edit(*, actor: Actor, pk: int) -> PracticeScenario:
    _refuse_unless(actor, Capability.CONFIGURE)
    scenario = PracticeScenario.objects.filter(pk=pk).first()
    if scenario is None:
        raise Refused("not_found", kind=Kind.NOT_FOUND)
    return scenario


@dataclass(frozen=True)
class ScenarioSaved:
    scenario: PracticeScenario
    counts_reset: bool  # the advice changed, so its counts started afresh


def scenario_save(*, actor: Actor, scenario: PracticeScenario) -> ScenarioSaved:
    """Save a new or changed scenario (filled in by its form) with one audit entry, in one
    transaction. A reworded scenario keeps its counts: it is still the same situation. A
    changed advice starts them afresh: the answers given so far were matched against the old
    advice, and counting them against the new one would mark the scenario wrongly for the
    team (the form says so beforehand, the audit entry's detail afterwards)."""
    _refuse_unless(actor, Capability.CONFIGURE)
    adding = scenario._state.adding
    scenario.full_clean()
    with transaction.atomic():
        counts_reset = False
        if not adding:
            # The advice as stored, read under the row's lock: two administrators saving at
            # once both compare against what the other left.
            before = (
                PracticeScenario.objects.select_for_update()
                .values_list("advice", flat=True)
                .get(pk=scenario.pk)
            )
            counts_reset = before != scenario.advice
            if counts_reset:
                PracticeTally.objects.filter(scenario_id=scenario.pk).delete()
        scenario.save()
        audit_record(
            actor=actor,
            action=(
                AuditAction.PRACTICE_SCENARIO_CREATE
                if adding
                else AuditAction.PRACTICE_SCENARIO_UPDATE
            ),
            target=scenario,
            detail=None if adding else {"counts_reset": counts_reset},
        )
    return ScenarioSaved(scenario=scenario, counts_reset=counts_reset)


# --- the team's counts -----------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioCounts:
    scenario: PracticeScenario
    report: int
    doubt: int
    no: int

    @property
    def total(self) -> int:
        return self.report + self.doubt + self.no

    @property
    def matched(self) -> int:
        return getattr(self, self.scenario.advice)

    @property
    def matched_share(self) -> float | None:
        """The share that gave the advised answer; None before anyone answered."""
        return self.matched / self.total if self.total else None

    @property
    def matched_percent(self) -> int | None:
        share = self.matched_share
        return None if share is None else round(share * 100)

    @property
    def differs(self) -> bool:
        """Many answered otherwise than the team advises: a point for the trainings."""
        share = self.matched_share
        return self.total >= HIGHLIGHT_FROM and share is not None and share < HIGHLIGHT_BELOW


def counts(*, actor: Actor) -> list[ScenarioCounts]:
    """Every scenario (switched off too: its counts stay) with how many gave each answer, in
    one query; for the analyst and team lead (insights) and the functional administrator."""
    _refuse_unless(actor, Capability.INSIGHTS, Capability.CONFIGURE)
    scenarios = (
        PracticeScenario.objects.select_related("category")
        .annotate(
            n_report=_answered(PracticeAnswer.REPORT),
            n_doubt=_answered(PracticeAnswer.DOUBT),
            n_no=_answered(PracticeAnswer.NO),
        )
        .order_by("position", "pk")
    )
    return [
        ScenarioCounts(scenario=s, report=s.n_report, doubt=s.n_doubt, no=s.n_no) for s in scenarios
    ]


def _answered(answer: str):
    return Coalesce(Sum("tallies__count", filter=Q(tallies__answer=answer)), 0)
