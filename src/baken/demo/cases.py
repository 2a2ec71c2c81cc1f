"""Cases for the demo reports that the demo data says were linked to a case: one to three
such reports of a team make a case of the model protocol, which has moved on through its
stages according to its age, some with an intervention, the older ones closed with a result.
A case records what its stages' derived criteria ask for (cases/facts.py): one that left
source research has a source approved by the privacy officer with its hit recorded, and one
that left the intervention stage has an intervention.

Written in bulk beside each batch of demo reports (demo/reports.py), with a random
generator of its own, so that the reports stay what the seed made them.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from baken.accounts.models import User
from baken.cases.models import (
    Case,
    CaseDecision,
    CaseMember,
    CaseReport,
    Consultation,
    ConsultationState,
    DecisionKind,
    Intervention,
    InterventionChange,
    InterventionState,
    InterventionType,
    Source,
)
from baken.cases.services import current_version
from baken.core.roles import Role

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


@dataclass(frozen=True)
class Linked:
    """A demo report whose status history ends in 'linked to a case', and when."""

    report_id: int
    team_id: int
    at: datetime
    place: str


class DemoCases:
    def __init__(self, *, seed: int, anchor: datetime):
        self.rng = random.Random(f"cases-{seed}")  # noqa: S311 (demo data, not security)
        # The facts of derived criteria draw from their own generator: the cases, their
        # stages and references stay what the seed made them before those facts existed.
        self.facts_rng = random.Random(f"case-facts-{seed}")  # noqa: S311
        self.sources = list(Source.objects.filter(is_active=True))
        self.officer: User | None = None
        self.anchor = anchor
        self.version = current_version()
        self.stages = list(self.version.stages.order_by("position"))
        self.results = list(self.version.results.order_by("position"))
        self.interventions = list(InterventionType.objects.filter(is_active=True))
        self.references: set[str] = set()
        self.authors: dict[int, User] = {}

    def author(self, team_id: int) -> User:
        """The team's demo analyst (or team lead); without one, an inactive demo user that
        only stands as the author of the demo cases."""
        if team_id not in self.authors:
            author = (
                User.objects.filter(
                    team_id=team_id, role__in=[Role.ANALYST, Role.TEAM_LEAD], is_active=True
                )
                .order_by("role", "pk")
                .first()
            )
            if author is None:
                author, _created = User.objects.get_or_create(
                    username=f"demo-casussen-{team_id}",
                    defaults={
                        "role": Role.ANALYST,
                        "team_id": team_id,
                        "is_active": False,
                        "is_demo": True,
                        "first_name": "Demo",
                        "last_name": "casussen",
                    },
                )
            self.authors[team_id] = author
        return self.authors[team_id]

    def privacy_officer(self) -> User:
        """The demo privacy officer; without one, an inactive demo user that only stands as
        the one who approved the demo cases' source research."""
        if self.officer is None:
            self.officer = User.objects.filter(role=Role.PRIVACY_OFFICER).order_by("pk").first()
        if self.officer is None:
            self.officer, _created = User.objects.get_or_create(
                username="demo-privacyfunctionaris",
                defaults={
                    "role": Role.PRIVACY_OFFICER,
                    "is_active": False,
                    "is_demo": True,
                    "first_name": "Demo",
                    "last_name": "privacyfunctionaris",
                },
            )
        return self.officer

    def _reference(self) -> str:
        while True:
            raw = "".join(self.rng.choice(_ALPHABET) for _ in range(8))
            reference = f"Z-{raw[:4]}-{raw[4:]}"
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def _unique(self, cases: list[Case]) -> None:
        """Draw again a reference the database holds already (demo data added to a database
        with demo cases: another seed, or the same seed again)."""
        pending = cases
        while pending:
            drawn = {case.reference: case for case in pending}
            taken = Case.objects.filter(reference__in=list(drawn)).values_list(
                "reference", flat=True
            )
            pending = [drawn[reference] for reference in taken]
            for case in pending:
                case.reference = self._reference()

    def add(self, linked: list[Linked]) -> None:
        """Cases for one batch's linked reports, grouped per team in the order given."""
        per_team: dict[int, list[Linked]] = {}
        for item in linked:
            per_team.setdefault(item.team_id, []).append(item)
        groups: list[list[Linked]] = []
        for items in per_team.values():
            while items:
                size = min(len(items), self.rng.choice([1, 1, 2, 3]))
                groups.append(items[:size])
                items = items[size:]
        if not groups:
            return
        plans = [self._plan(group) for group in groups]
        self._unique([plan["case"] for plan in plans])
        cases = Case.objects.bulk_create([plan["case"] for plan in plans])
        reports, members, decisions, interventions, consultations = [], [], [], [], []
        for case, plan, group in zip(cases, plans, groups, strict=True):
            author = plan["author"]
            for item in group:
                reports.append(
                    CaseReport(
                        case=case,
                        report_id=item.report_id,
                        report_team_id=item.team_id,
                        case_team_id=case.team_id,
                        added_at=item.at,
                        added_by=author,
                    )
                )
            members.append(
                CaseMember(
                    case=case,
                    case_team_id=case.team_id,
                    user=author,
                    added_at=case.opened_at,
                    added_by=author,
                    reason="Opende de casus.",
                )
            )
            for decision in plan["decisions"]:
                decision.case = case
                decisions.append(decision)
            for intervention in plan["interventions"]:
                intervention.case = case
                interventions.append(intervention)
            for consultation in plan["consultations"]:
                consultation.case = case
                consultations.append(consultation)
        CaseReport.objects.bulk_create(reports)
        CaseMember.objects.bulk_create(members)
        CaseDecision.objects.bulk_create(decisions)
        Consultation.objects.bulk_create(consultations)
        Intervention.objects.bulk_create(interventions)
        InterventionChange.objects.bulk_create(_history(interventions))

    def _plan(self, group: list[Linked]) -> dict:
        rng, stages = self.rng, self.stages
        author = self.author(group[0].team_id)
        opened = max(item.at for item in group)
        age_days = (self.anchor - opened).total_seconds() / 86400
        # A stage every one to five months, and closed once it ran its course.
        reach = min(len(stages) - 1, int(age_days / rng.uniform(30, 150)))
        decisions = [
            CaseDecision(
                kind=DecisionKind.OPEN,
                to_stage=stages[0],
                rationale="Weging 3: concreet en ernstig genoeg voor nader onderzoek.",
                author=author,
                at=opened,
            )
        ]
        at = opened
        step = timedelta(days=max(1.0, age_days / (len(stages) + 1)))
        for i in range(1, reach + 1):
            at = at + step
            closing = stages[i].is_closed
            result = rng.choice(self.results) if closing else None
            decisions.append(
                CaseDecision(
                    kind=DecisionKind.CLOSE if closing else DecisionKind.ADVANCE,
                    from_stage=stages[i - 1],
                    to_stage=stages[i],
                    result=result,
                    rationale="Afgerond volgens plan."
                    if closing
                    else "Criteria van de fase beantwoord.",
                    author=author,
                    at=at,
                )
            )
        last = decisions[-1]
        interventions = []
        chosen = reach >= 2 and self.interventions and rng.random() < 0.7
        # A closed case left the intervention stage, whose derived criterion asks for one.
        if chosen or (reach >= 3 and self.interventions):
            pick = rng if chosen else self.facts_rng
            kind = pick.choice(self.interventions)
            start = decisions[2].at if len(decisions) > 2 else at
            done = last.kind == DecisionKind.CLOSE
            interventions.append(
                Intervention(
                    kind=kind,
                    legal_basis=kind.legal_basis,
                    responsible=kind.responsible,
                    start_date=start.date(),
                    end_date=last.at.date() if done else None,
                    state=InterventionState.DONE if done else InterventionState.RUNNING,
                    outcome=pick.choice(
                        ["Pand gesloten.", "Vergunning ingetrokken.", "Waarschuwing gegeven."]
                    )
                    if done
                    else "",
                    created_by=author,
                    created_at=start,
                    updated_at=last.at,
                )
            )
        case = Case(
            reference=self._reference(),
            title=f"Casus {group[0].place}",
            summary="",
            team_id=group[0].team_id,
            handler=author if author.is_active else None,  # who opened it steers it
            version=self.version,
            stage=last.to_stage,
            result=last.result,
            opened_at=opened,
            closed_at=last.at if last.kind == DecisionKind.CLOSE else None,
        )
        return {
            "case": case,
            "author": author,
            "decisions": decisions,
            "interventions": interventions,
            "consultations": self._consultations(author, decisions) if reach >= 1 else [],
        }

    def _consultations(self, author: User, decisions: list[CaseDecision]) -> list[Consultation]:
        """Source research of a case that moved on from it: one source asked, approved by
        the privacy officer and its hit or no hit recorded, between opening and moving on."""
        if not self.sources:
            return []
        officer = self.privacy_officer()
        rng, opened, moved = self.facts_rng, decisions[0].at, decisions[1].at
        asked = opened + (moved - opened) / 4
        decided, recorded = opened + (moved - opened) / 2, opened + (moved - opened) * 3 / 4
        hit = rng.random() < 0.5
        return [
            Consultation(
                source=rng.choice(self.sources),
                purpose="Wie staat er ingeschreven en welke vergunningen zijn er?",
                requested_by=author,
                requested_at=asked,
                state=ConsultationState.APPROVED,
                decided_by=officer,
                decided_at=decided,
                decision_motivation="Past bij het doel van de casus.",
                hit=hit,
                hit_recorded_at=recorded,
                hit_recorded_by=author,
                findings="Bekend bij de bron; zie het dossier." if hit else "",
            )
        ]


def _history(interventions: list[Intervention]) -> list[InterventionChange]:
    """Their changes as the timeline shows them: running from the start, then done."""
    changes = []
    for i in interventions:
        changes.append(
            InterventionChange(
                intervention=i,
                state=InterventionState.RUNNING,
                author_id=i.created_by_id,
                at=i.created_at,
            )
        )
        if i.state == InterventionState.DONE:
            changes.append(
                InterventionChange(
                    intervention=i,
                    state=i.state,
                    end_date=i.end_date,
                    outcome=i.outcome,
                    author_id=i.created_by_id,
                    at=i.updated_at,
                )
            )
    return changes
