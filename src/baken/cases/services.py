"""Writing cases: opening one from reports in further analysis, answering the criteria of
its stage, moving it on, closing it with a result, reopening it, and its membership. Every
step is a decision with its rationale, written in one transaction with its audit entry and
the case's row locked.

Every one takes the actor and refuses on its own what the pages and the API refuse (ADR
0027): access.require, the rule of access.case_for as a pure check — not_found (404) when the
actor may not know the case, forbidden (403) when they may not work in it (CaseAction.WORK)
or steer it (CaseAction.STEER). The explicit system actor (core.actors.SYSTEM) works in no
case and is refused like anyone who may not know it.
"""

import secrets
from collections.abc import Callable, Iterable, Mapping
from datetime import date

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import Team, User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.dates import OUT_OF_RANGE, in_range
from baken.core.refusals import Kind, Message, Refused
from baken.core.roles import Capability
from baken.notifications.kinds import Kind as NotificationKind
from baken.notifications.services import notify
from baken.reports.models import Report
from baken.reports.permissions import Action, can
from baken.reports.selectors import report_list
from baken.reports.services import report_transition
from baken.reports.weighing import answer_problems, answer_values
from baken.reports.workflow import Status

from .access import CaseAction, require
from .facts import derived_states, fact_state
from .models import (
    Case,
    CaseAnswer,
    CaseDecision,
    CaseMember,
    CaseReport,
    CaseResult,
    CaseType,
    CaseTypeVersion,
    DecisionKind,
    Stage,
    StageCriterion,
)
from .permissions import WORK_ROLES

DEFAULT_TYPE = "modelprotocol"
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


class CaseRefused(Refused):
    """What the protocol or a role does not allow (a core.refusals.Refused: the API answers it
    as problem+json, a page shows it in Dutch); `problems` names each field, `kind` says
    whether it is a 400 (the default), 403 or 404; `open_criteria` are the mandatory
    criteria that keep a case in its stage."""

    def __init__(
        self,
        problems: Mapping[str, Message],
        open_criteria: Iterable[StageCriterion] | None = None,
        *,
        kind: Kind | None = None,
        code: str = "",
    ):
        super().__init__(code, problems=dict(problems), kind=kind)
        self.open_criteria = list(open_criteria or [])

    def invalid_params(self) -> list[dict]:
        """Each open mandatory criterion as `criteria.<code>` with its question."""
        params = super().invalid_params()
        if not self.open_criteria:
            return params
        named = [
            {"name": f"criteria.{c.code}", "code": f"criteria.{c.code}", "reason": c.question}
            for c in self.open_criteria
        ]
        return [p for p in params if p["name"] != "criteria"] + named


def new_case_reference() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"Z-{raw[:4]}-{raw[4:]}"


def current_version(code: str = DEFAULT_TYPE) -> CaseTypeVersion:
    """The newest published version of a case type: what a new case starts with. A draft
    is still being changed by the functional administrator and starts no case (ADR 0012)."""
    version = (
        CaseTypeVersion.objects.filter(case_type__code=code, published_at__isnull=False)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise CaseRefused(
            {
                "version": _(
                    "The case type has no published version: ask the functional "
                    "administrator to publish one."
                )
            }
        )
    return version


def _rationale(text: str, field: str = "rationale", limit: int | None = None) -> str:
    return required_text(text, field, _("Give the rationale."), limit)


def required_text(value: str, field: str, message: str, limit: int | None = None) -> str:
    """`value` without surrounding space; refused with `message` when empty, and when longer
    than `limit` (fits)."""
    value = (value or "").strip()
    if not value:
        raise CaseRefused({field: message})
    return fits(value, field, limit)


def problems_of(*checks: Callable[[], object]) -> dict[str, Message]:
    """Run every check and gather the problems of those that refused, by field: a form is
    told all that is wrong at once, not one thing per try."""
    problems: dict[str, Message] = {}
    for check in checks:
        try:
            check()
        except CaseRefused as refused:
            problems.update(refused.problems)
    return problems


def fits(text: str, field: str, limit: int | None) -> str:
    """`text`, refused when longer than `limit` characters (a model field's max_length):
    a clear message instead of the database's error."""
    if limit is not None and len(text) > limit:
        raise CaseRefused(
            {
                field: _("Use at most %(limit)d characters (now %(count)d).")
                % {"limit": limit, "count": len(text)}
            }
        )
    return text


def limit_of(model: type[models.Model], name: str) -> int | None:
    return model._meta.get_field(name).max_length  # type: ignore[union-attr]


def plausible(day: date | None, field: str) -> date | None:
    """`day`, refused outside Baken's dates (core.dates): outside them it is a typing error."""
    if day is not None and not in_range(day):
        raise CaseRefused({field: str(OUT_OF_RANGE)})
    return day


def lock_open(case: Case) -> Case:
    """The case's row, locked, for work that a closed case refuses."""
    locked = _lock(case)
    if locked.is_closed:
        raise CaseRefused({"case": _("The case is closed; reopen it first.")})
    return locked


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("stage", "version").get(pk=case.pk)


# Each kind of decision is an action of its own in the audit log.
DECISION_ACTIONS: dict[str, AuditAction] = {
    DecisionKind.OPEN: AuditAction.CASE_OPEN,
    DecisionKind.ADVANCE: AuditAction.CASE_ADVANCE,
    DecisionKind.CLOSE: AuditAction.CASE_CLOSE,
    DecisionKind.REOPEN: AuditAction.CASE_REOPEN,
    DecisionKind.ADD_REPORT: AuditAction.CASE_ADD_REPORT,
    DecisionKind.HANDLER: AuditAction.CASE_HANDLER,
}


def _decide(
    case: Case, actor: User, kind: str, rationale: str, **fields: models.Model | None
) -> CaseDecision:
    decision = CaseDecision.objects.create(
        case=case, kind=kind, rationale=rationale, author=actor, at=timezone.now(), **fields
    )
    audit_record(
        actor=actor,
        action=DECISION_ACTIONS[kind],
        target=case,
        detail={"decision": decision.pk, **{k: v.pk for k, v in fields.items() if v}},
    )
    return decision


def _link_report(case: Case, report: Report, actor: User, rationale: str) -> None:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.merged_into_id is not None:
        raise CaseRefused(
            {"reports": _("A merged report joins a case through its leading report.")}
        )
    if locked.status == Status.IN_ANALYSIS:
        report_transition(
            report=locked, to_status=Status.LINKED_TO_CASE, actor=actor, reason=rationale
        )
    elif locked.status != Status.LINKED_TO_CASE:
        raise CaseRefused(
            {"reports": _("Only a report in further analysis can be taken into a case.")}
        )
    CaseReport.objects.create(
        case=case,
        report=locked,
        report_team_id=locked.team_id,
        case_team_id=case.team_id,
        added_at=timezone.now(),
        added_by=actor,
    )


def _member(case: Case, user: User, actor: User, reason: str) -> CaseMember:
    member = CaseMember.objects.create(
        case=case,
        case_team_id=case.team_id,
        user=user,
        added_at=timezone.now(),
        added_by=actor,
        reason=reason,
    )
    notify(
        kind=NotificationKind.CASE_MEMBER,
        users=[user],
        object_id=case.pk,
        reference=case.reference,
        actor=actor,
    )
    return member


def case_team(*, reports: list[Report], actor: User) -> Team | None:
    """The team a case from these reports belongs to: the first report's, else the actor's
    (None: the case cannot be opened yet). The form asks it for its list of handlers."""
    first = reports[0] if reports else None
    return (first.team if first is not None else None) or actor.team


def _refuse_opening(
    *, reports: list[Report], team: Team | None, handler: User | None, actor: User
) -> Team:
    """Who may open a case, from which reports, for which team, with which handler: the
    same for the page, the API and any other caller. Returns the case's team."""
    if not can(actor, Action.CASE):
        raise CaseRefused(
            {"actor": _("You are not allowed to do this.")}, kind=Kind.FORBIDDEN, code="case"
        )
    ids = {r.pk for r in reports}
    if report_list(user=actor).filter(pk__in=ids).count() != len(ids):
        raise CaseRefused({"reports": _("Not found.")}, kind=Kind.NOT_FOUND, code="report")
    chosen = case_team(reports=reports, actor=actor)
    if chosen is None:
        raise CaseRefused({"reports": _("The report has no team; assign it to a team first.")})
    if team is not None and team != chosen:
        raise CaseRefused({"team": _("A case belongs to the team of its first report.")})
    if handler is not None and not (
        handler.is_active and handler.role in WORK_ROLES and handler.team_id == chosen.pk
    ):
        raise CaseRefused({"handler": _("Not an active user of the case's team.")})
    return chosen


def case_open(
    *,
    reports: list[Report],
    title: str,
    summary: str,
    handler: User | None,
    actor: User,
    rationale: str,
    team: Team | None = None,
) -> Case:
    """A case from one or more reports in further analysis, in the first stage of the
    newest version of the default case type; the actor and the handler are its members.

    Refused unless the actor's role may open cases and may see every report (404); the
    case's team is the first report's, else the actor's (case_team; a `team` given must be
    that one), and its handler an active analyst, case handler or team lead of that team."""
    team = _refuse_opening(reports=reports, team=team, handler=handler, actor=actor)
    rationale = _rationale(rationale)
    title = required_text(title, "title", _("Give the case a title."), limit_of(Case, "title"))
    if not reports:
        raise CaseRefused({"reports": _("Choose at least one report.")})
    with transaction.atomic():
        # Locked: the administrator changes a version only while no case uses it.
        version = CaseTypeVersion.objects.select_for_update().get(pk=current_version().pk)
        first = version.stages.earliest("position")
        case = Case.objects.create(
            reference=new_case_reference(),
            title=title,
            summary=summary.strip(),
            team=team,
            handler=handler,
            version=version,
            stage=first,
            opened_at=timezone.now(),
        )
        for report in sorted(reports, key=lambda r: r.pk):  # locks in id order
            _link_report(case, report, actor, rationale)
        _member(case, actor, actor, _("Opened the case."))
        if handler is not None and handler.pk != actor.pk:
            _member(case, handler, actor, _("Case handler."))
        _decide(case, actor, DecisionKind.OPEN, rationale, to_stage=first)
    return case


def open_criteria(case: Case) -> list[StageCriterion]:
    """The mandatory criteria of the case's current stage that are not met, in order: a
    judgement without an answer, or a derived criterion whose fact does not hold (facts.py)."""
    answered = set(CaseAnswer.objects.filter(case=case).values_list("criterion_id", flat=True))
    mandatory = list(StageCriterion.objects.filter(stage=case.stage_id, mandatory=True))
    derived = derived_states(case, mandatory)
    return [c for c in mandatory if (not derived[c.pk].met if c.fact else c.pk not in answered)]


def case_answer(
    *, case: Case, criterion: StageCriterion, choice: str, motivation: str, actor: User
) -> CaseAnswer:
    """The handler's answer to a criterion of judgement. A derived criterion is answered by
    the case's records, never by hand: a "yes" without the fact would make the
    accountability report say what did not happen (ADR 0012)."""
    require(actor, case, CaseAction.WORK)
    if criterion.fact:
        state = fact_state(case, criterion.fact)
        raise CaseRefused(
            {
                "criterion": _(
                    "This criterion follows from what the case records and is not answered "
                    "by hand. %(state)s"
                )
                % {"state": state.explanation}
            }
        )
    problems = answer_problems(choices=criterion.choices, choice=choice, motivation=motivation)
    if problems:
        raise CaseRefused(problems)
    with transaction.atomic():
        locked = lock_open(case)
        if criterion.stage_id != locked.stage_id:
            raise CaseRefused({"criterion": _("This criterion is not of the case's stage.")})
        answer, _created = CaseAnswer.objects.update_or_create(
            case=locked,
            criterion=criterion,
            defaults=answer_values(choice=choice, motivation=motivation, actor=actor),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CASE_ANSWER,
            target=locked,
            detail={"criterion": criterion.pk, "answer": answer.pk},
        )
    return answer


def _refuse_while_open(case: Case) -> None:
    missing = open_criteria(case)
    if missing:
        # A derived one says what the records still lack: it is met by recording that.
        derived = derived_states(case, missing)
        named = [
            f"{c.question} ({derived[c.pk].explanation})" if c.pk in derived else c.question
            for c in missing
        ]
        raise CaseRefused(
            {
                "criteria": _("Answer the mandatory criteria of this stage first: %(list)s")
                % {"list": "; ".join(named)}
            },
            missing,
        )


def case_advance(*, case: Case, actor: User, rationale: str) -> Case:
    """To the next stage, refused while a mandatory criterion of this stage is open."""
    require(actor, case, CaseAction.WORK)
    rationale = _rationale(rationale)
    with transaction.atomic():
        locked = lock_open(case)
        _refuse_while_open(locked)
        following = (
            Stage.objects.filter(version=locked.version_id, position__gt=locked.stage.position)
            .order_by("position")
            .first()
        )
        if following is None or following.is_closed:
            raise CaseRefused({"stage": _("This is the last stage: close the case with a result.")})
        previous = locked.stage
        locked.stage = following
        locked.save(update_fields=["stage"])
        _decide(
            locked, actor, DecisionKind.ADVANCE, rationale, from_stage=previous, to_stage=following
        )
    return locked


def case_close(*, case: Case, actor: User, result: CaseResult | None, rationale: str) -> Case:
    """Close with a result of the case's version and a closing decision."""
    require(actor, case, CaseAction.STEER)
    rationale = _rationale(rationale)
    with transaction.atomic():
        locked = _lock(case)
        if locked.is_closed:
            raise CaseRefused({"case": _("The case is closed already.")})
        if result is None or result.version_id != locked.version_id:
            raise CaseRefused({"result": _("Choose a result.")})
        _refuse_while_open(locked)
        closing = Stage.objects.get(version=locked.version_id, is_closed=True)
        previous = locked.stage
        locked.stage, locked.result, locked.closed_at = closing, result, timezone.now()
        locked.save(update_fields=["stage", "result", "closed_at"])
        _decide(
            locked,
            actor,
            DecisionKind.CLOSE,
            rationale,
            from_stage=previous,
            to_stage=closing,
            result=result,
        )
    return locked


def case_reopen(*, case: Case, actor: User, reason: str) -> Case:
    """A closed case back into its last working stage, with the reason."""
    require(actor, case, CaseAction.STEER)
    reason = _rationale(reason, "reason")
    with transaction.atomic():
        locked = _lock(case)
        if not locked.is_closed:
            raise CaseRefused({"case": _("The case is not closed.")})
        last = Stage.objects.filter(version=locked.version_id, is_closed=False).latest("position")
        previous = locked.stage
        locked.stage, locked.result, locked.closed_at = last, None, None
        locked.save(update_fields=["stage", "result", "closed_at"])
        _decide(locked, actor, DecisionKind.REOPEN, reason, from_stage=previous, to_stage=last)
    return locked


def case_add_report(*, case: Case, report: Report, actor: User, rationale: str) -> Case:
    """A report the actor may know (404 otherwise) into a case they work in."""
    require(actor, case, CaseAction.WORK)
    if not report_list(user=actor).filter(pk=report.pk).exists():
        raise CaseRefused({"report": _("Not found.")}, kind=Kind.NOT_FOUND, code="report")
    rationale = _rationale(rationale)
    with transaction.atomic():
        locked = lock_open(case)
        if CaseReport.objects.filter(case=locked, report=report).exists():
            raise CaseRefused({"reports": _("This report is part of the case already.")})
        _link_report(locked, report, actor, rationale)
        _decide(locked, actor, DecisionKind.ADD_REPORT, rationale)
    return locked


def member_add(*, case: Case, user: User, actor: User, reason: str) -> CaseMember:
    require(actor, case, CaseAction.STEER)
    reason = _rationale(reason, "reason", limit_of(CaseMember, "reason"))
    if not user.is_active or not user.can(Capability.WORKSPACE):
        raise CaseRefused({"user": _("Only active workspace users can be members.")})
    with transaction.atomic():
        locked = _lock(case)
        if CaseMember.objects.filter(case=locked, user=user, removed_at__isnull=True).exists():
            raise CaseRefused({"user": _("This person is a member already.")})
        member = _member(locked, user, actor, reason)
        audit_record(
            actor=actor,
            action=AuditAction.CASE_MEMBER_ADD,
            target=locked,
            detail={"user": user.pk, "membership": member.pk},
        )
    return member


def member_remove(*, case: Case, user: User, actor: User, reason: str) -> CaseMember:
    require(actor, case, CaseAction.STEER)
    reason = _rationale(reason, "reason", limit_of(CaseMember, "removal_reason"))
    with transaction.atomic():
        locked = _lock(case)
        member = CaseMember.objects.filter(case=locked, user=user, removed_at__isnull=True).first()
        if member is None:
            raise CaseRefused({"user": _("This person is not a member.")})
        if locked.handler_id == user.pk:
            raise CaseRefused(
                {"user": _("This person is the case handler: appoint another one first.")}
            )
        member.removed_at, member.removed_by, member.removal_reason = timezone.now(), actor, reason
        member.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        audit_record(
            actor=actor,
            action=AuditAction.CASE_MEMBER_REMOVE,
            target=locked,
            detail={"user": user.pk, "membership": member.pk},
        )
    return member


def case_handler_set(*, case: Case, handler: User | None, actor: User, rationale: str) -> Case:
    """Appoint a current member of the case as its case handler (also when nobody was yet):
    a decision with its rationale. The handler steers the case with the team lead (close,
    reopen, membership: permissions.may_steer)."""
    require(actor, case, CaseAction.STEER)
    rationale = _rationale(rationale)
    with transaction.atomic():
        locked = lock_open(case)
        if (
            handler is None
            or not CaseMember.objects.filter(
                case=locked, user=handler, removed_at__isnull=True
            ).exists()
        ):
            raise CaseRefused({"handler": _("Choose a member of the case.")})
        if not handler.is_active or handler.role not in WORK_ROLES:
            raise CaseRefused(
                {
                    "handler": _(
                        "Only an active analyst, case handler or team lead can be case handler."
                    )
                }
            )
        if handler.team_id != locked.team_id:
            raise CaseRefused({"handler": _("The case handler is of the case's team.")})
        if locked.handler_id == handler.pk:
            raise CaseRefused({"handler": _("This person is the case handler already.")})
        locked.handler = handler
        locked.save(update_fields=["handler"])
        _decide(locked, actor, DecisionKind.HANDLER, rationale, handler=handler)
    return locked


def case_type_new_version(*, case_type: CaseType, actor: User, note: str) -> CaseTypeVersion:
    """A copy of the newest version, to change; cases keep the version they started with."""
    source = case_type.versions.latest("number")
    with transaction.atomic():
        version = CaseTypeVersion.objects.create(
            case_type=case_type,
            number=source.number + 1,
            created_at=timezone.now(),
            created_by=actor,
            note=note.strip(),
        )
        for stage in source.stages.prefetch_related("criteria"):
            copy = Stage.objects.create(
                version=version,
                position=stage.position,
                code=stage.code,
                name=stage.name,
                is_closed=stage.is_closed,
            )
            StageCriterion.objects.bulk_create(
                [
                    StageCriterion(
                        stage=copy,
                        position=c.position,
                        code=c.code,
                        question=c.question,
                        help_text=c.help_text,
                        choices=c.choices,
                        mandatory=c.mandatory,
                        fact=c.fact,
                    )
                    for c in stage.criteria.all()
                ]
            )
        CaseResult.objects.bulk_create(
            [
                CaseResult(version=version, code=r.code, name=r.name, position=r.position)
                for r in source.results.all()
            ]
        )
        audit_record(
            actor=actor,
            action=AuditAction.CASE_TYPE_VERSION,
            target=case_type,
            detail={"version": version.number},
        )
    return version
