"""The weighings of the model protocol (stages 1 and 2): criteria answered with a choice and
a motivation, then a decision with its rationale. And the question to the reporter, which
parks a report until the answer comes.

Each service takes the actor and refuses on its own (access.require, ADR 0027): not_found
when they may not know the report, forbidden when their role may not weigh, decide or ask
(permissions.Action). The steps that take a locked report (criterion_answer_write,
triage_start) are for those services only."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.refusals import Refused

from .access import require
from .models import Criterion, CriterionAnswer, Decision, DecisionKind, Message, Receipt, Report
from .permissions import Action
from .reporter import question_notify
from .services import report_transition
from .workflow import DECIDABLE, REASON_CRITERIA, REASON_QUESTION, REASON_TRIAGE, Status

# Referring and forwarding say to whom (the department, municipality or partner).
NEEDS_RECIPIENT = {DecisionKind.REFERRED, DecisionKind.FORWARDED}


class WeighingRefused(Refused):
    """A decision or answer that the protocol does not allow (a core.refusals.Refused, so the
    API and the pages show it in the user's language without a word of translating code);
    `problems` names each field, `open_criteria` the mandatory criteria still open."""

    def __init__(self, problems: dict, open_criteria: list[Criterion] | None = None):
        super().__init__("weighing_refused", problems=problems)
        self.open_criteria = open_criteria or []

    def invalid_params(self) -> list[dict]:
        """Each open mandatory criterion as `criteria.<code>` (code `open`, its question as
        the reason), then every other field refused."""
        params = [
            {"name": f"criteria.{c.code}", "code": "open", "reason": c.question}
            for c in self.open_criteria
        ]
        return params + [
            {"name": name, "code": name, "reason": str(message)}
            for name, message in self.problems.items()
            if name != "criteria"
        ]


# What the protocol says, in the user's language when shown (the keys are the fields).
MERGED = gettext_lazy(
    "This report was merged into another report; work on the leading report, or undo the merge."
)
WEIGHED_ALREADY = gettext_lazy("This report has been weighed already.")


def criterion_list() -> QuerySet[Criterion]:
    return Criterion.objects.filter(is_active=True)


def open_mandatory(*, report: Report) -> list[Criterion]:
    """The mandatory criteria this report has no answer to yet, in protocol order."""
    answered = CriterionAnswer.objects.filter(report=report).values("criterion_id")
    return list(criterion_list().filter(mandatory=True).exclude(pk__in=answered))


def answer_problems(*, choices: list[str], choice: str, motivation: str) -> dict[str, str]:
    """What is wrong with an answer to a criterion (a report's weighing criteria and a case's
    stage criteria alike): one of its choices, with a motivation."""
    problems = {}
    if choice not in choices:
        problems["choice"] = _("Choose one of the answers.")
    if not motivation.strip():
        problems["motivation"] = _("Give a short motivation.")
    return problems


def answer_values(*, choice: str, motivation: str, actor: User) -> dict:
    """What an answer to a criterion records (the `defaults` of its update_or_create)."""
    return {
        "choice": choice,
        "motivation": motivation.strip(),
        "author": actor,
        "at": timezone.now(),
    }


# The states in which a report's criteria may still be answered (ADR 0009).
WEIGHING_OPEN = (Status.RECEIVED, Status.IN_TRIAGE, Status.AWAITING_REPORTER)


def report_lock_for_weighing(*, report: Report) -> Report:
    """The report, locked, if its weighing is still open; refused otherwise. Call inside a
    transaction: a decision or a merge taken meanwhile closes the weighing."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.merged_into_id is not None:
        raise WeighingRefused({"merged": MERGED})
    if locked.status not in WEIGHING_OPEN:
        raise WeighingRefused({"status": WEIGHED_ALREADY})
    return locked


def criterion_answer_write(
    *, locked: Report, criterion: Criterion, choice: str, motivation: str, actor: User
) -> CriterionAnswer:
    """Write one answer and its audit row. The caller holds the report's lock
    (report_lock_for_weighing) and has checked the answer (answer_problems)."""
    answer, _created = CriterionAnswer.objects.update_or_create(
        report=locked,
        criterion=criterion,
        defaults=answer_values(choice=choice, motivation=motivation, actor=actor),
    )
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_CRITERION,
        target=locked,
        detail={"criterion": criterion.code, "choice": choice},
    )
    return answer


def criterion_answer_save(
    *, report: Report, actor: User, criterion: Criterion, choice: str, motivation: str
) -> CriterionAnswer:
    require(actor, report, Action.WEIGH)
    problems = answer_problems(choices=criterion.choices, choice=choice, motivation=motivation)
    if problems:
        raise WeighingRefused(problems)
    with transaction.atomic():
        locked = report_lock_for_weighing(report=report)
        answer = criterion_answer_write(
            locked=locked, criterion=criterion, choice=choice, motivation=motivation, actor=actor
        )
    return answer


def decision_make(
    *,
    report: Report,
    actor: User,
    kind: str,
    rationale: str,
    recipient: str = "",
    without_answer: str = "",
) -> Decision:
    """Record the weighed decision and move the report to its state, in one transaction.

    Refused while a mandatory criterion is open (the refusal names each one), without a
    rationale, or without a recipient for a referral or forward. A report waiting for the
    reporter's answer may be decided without it, with `without_answer` saying why (it is the
    reason of the report's move back from waiting; reports/waiting.py).
    """
    require(actor, report, Action.DECIDE)
    problems: dict = {}
    if kind not in DecisionKind.values:
        problems["kind"] = _("Choose a decision.")
    if not rationale.strip():
        problems["rationale"] = _("Give the rationale for this decision.")
    if kind in NEEDS_RECIPIENT and not recipient.strip():
        problems["recipient"] = _("Say to whom the report goes.")
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        open_criteria = open_mandatory(report=locked)
        if open_criteria:
            problems["criteria"] = _("Answer the mandatory criteria first: %(list)s") % {
                "list": ", ".join(c.code for c in open_criteria)
            }
        if locked.status not in DECIDABLE:
            problems["status"] = WEIGHED_ALREADY
        if locked.status == Status.AWAITING_REPORTER and not without_answer.strip():
            problems["without_answer"] = _("Say why you decide without the reporter's answer.")
        if locked.merged_into_id is not None:
            problems["merged"] = MERGED
        if problems:
            raise WeighingRefused(problems, open_criteria)
        locked = _to_weighed(
            locked, actor=actor, rationale=rationale, without_answer=without_answer
        )
        decision = Decision.objects.create(
            report=locked,
            kind=kind,
            recipient=recipient.strip(),
            rationale=rationale.strip(),
            author=actor,
            at=timezone.now(),
        )
        locked = report_transition(report=locked, to_status=kind, actor=actor, reason=rationale)
        Report.objects.filter(pk=locked.pk).update(weighed_at=decision.at)
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_DECISION,
            target=locked,
            detail={"decision": decision.pk, "kind": kind},
        )
    return decision


def _to_weighed(locked: Report, *, actor: User, rationale: str, without_answer: str) -> Report:
    """The moves up to `weighed`: into triage from received (the decision's rationale) or
    from waiting for the reporter (why the team did not wait), then weighed."""
    reasons: dict[str, str] = {
        Status.RECEIVED: rationale,
        Status.AWAITING_REPORTER: without_answer.strip(),
    }
    if locked.status in reasons:
        locked = report_transition(
            report=locked, to_status=Status.IN_TRIAGE, actor=actor, reason=reasons[locked.status]
        )
    if locked.status == Status.IN_TRIAGE:
        locked = report_transition(
            report=locked, to_status=Status.WEIGHED, actor=actor, reason=REASON_CRITERIA
        )
    return locked


def triage_start(*, report: Report, actor: User) -> Report:
    """The first person to open a new report's work takes it into triage (a step of
    question_ask, which checked the actor)."""
    if report.status != Status.RECEIVED:
        return report
    return report_transition(
        report=report,
        to_status=Status.IN_TRIAGE,
        actor=actor,
        reason=REASON_TRIAGE,
    )


def question_ask(*, report: Report, actor: User, text: str) -> Message:
    """Ask the reporter something through the follow-up dialogue; the report waits.

    The question is visible to whoever holds the receipt code, anonymous or not. A named
    reporter who may be contacted gets an e-mail that there is a question, without its text.
    """
    require(actor, report, Action.ASK)
    if not text.strip():
        raise WeighingRefused({"text": _("Write the question.")})
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.merged_into_id is not None:
            raise WeighingRefused({"merged": MERGED})
        if not Receipt.objects.filter(report=locked).exists():
            # A report split off another has no receipt code: its reporter follows the
            # first report and could never read the question, so the report would wait
            # for ever.
            raise WeighingRefused(
                {
                    "receipt": _(
                        "The reporter cannot read questions on this report: it was split off "
                        "another report. Ask the question on that report."
                    )
                }
            )
        if locked.status == Status.RECEIVED:
            locked = triage_start(report=locked, actor=actor)
        if locked.status not in (Status.IN_TRIAGE, Status.AWAITING_REPORTER):
            raise WeighingRefused(
                {"triage": _("A question can only be asked while the report is in triage.")}
            )
        message = Message(
            report=locked,
            author=Message.Author.TEAM,
            sender=actor,
            is_question=True,
            sent_at=timezone.now(),
        )
        message.text = text.strip()  # encrypted under the report's own key (ADR 0031)
        message.save()
        if locked.status == Status.IN_TRIAGE:
            locked = report_transition(
                report=locked,
                to_status=Status.AWAITING_REPORTER,
                actor=actor,
                reason=REASON_QUESTION,
            )
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_QUESTION,
            target=locked,
            detail={"message": message.pk},
        )
        transaction.on_commit(lambda: question_notify(report=locked))
    return message
