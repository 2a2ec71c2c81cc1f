"""Weighing in one form (issue 12): every criterion of the model protocol's weighings answered
and saved at once, the open mandatory ones marked, the problems of each criterion named.

The answers are written as one criterion at a time always was (weighing.py): under the
report's row lock, refused after the decision and on a merged report (ADR 0009), one audit
row per changed answer. A criterion left empty stays open; an unchanged answer is not
written again.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from .access import require
from .models import Criterion, CriterionAnswer, Report, Weighing
from .permissions import Action, can
from .weighing import (
    WEIGHING_OPEN,
    WeighingRefused,
    answer_problems,
    criterion_answer_write,
    criterion_list,
    report_lock_for_weighing,
)

# Answers can change until the decision; after it they are the record.


def posted_answers(data, criteria: list[Criterion]) -> dict[str, dict[str, str]]:
    """The form's answers by criterion code (`choice-<code>`, `motivation-<code>`)."""
    return {
        c.code: {
            "choice": data.get(f"choice-{c.code}", ""),
            "motivation": data.get(f"motivation-{c.code}", ""),
        }
        for c in criteria
    }


def criteria_answers_save(
    *, report: Report, actor, answers: dict[str, dict[str, str]]
) -> list[CriterionAnswer]:
    """Save every answered criterion of `answers` (code → choice and motivation) at once.

    Nothing is saved when one answer is wrong: `WeighingRefused.problems` then maps
    "<code>.choice" / "<code>.motivation" to why. Returns the answers that changed.
    Refused (not_found, forbidden) unless the actor may weigh this report (access.require).
    """
    require(actor, report, Action.WEIGH)
    criteria = {c.code: c for c in criterion_list()}
    problems: dict[str, str] = {}
    given = {}
    for code, answer in answers.items():
        criterion = criteria.get(code)
        choice, motivation = answer.get("choice", ""), answer.get("motivation", "")
        if criterion is None:
            problems[f"{code}.criterion"] = _("There is no active criterion with this code.")
            continue
        if not choice and not motivation.strip():
            continue  # left open
        for name, why in answer_problems(
            choices=criterion.choices, choice=choice, motivation=motivation
        ).items():
            problems[f"{code}.{name}"] = why
        given[code] = (criterion, choice, motivation)
    if problems:
        raise WeighingRefused(problems)
    saved: list[CriterionAnswer] = []
    with transaction.atomic():
        locked = report_lock_for_weighing(report=report)
        existing = {a.criterion_id: a for a in CriterionAnswer.objects.filter(report=locked)}
        for criterion, choice, motivation in given.values():
            before = existing.get(criterion.pk)
            if before and (before.choice, before.motivation) == (choice, motivation.strip()):
                continue
            saved_answer = criterion_answer_write(
                locked=locked,
                criterion=criterion,
                choice=choice,
                motivation=motivation,
                actor=actor,
            )
            saved.append(saved_answer)
    return saved


def problem_text(key: str) -> str:
    name = key.rpartition(".")[2]
    return {
        "choice": _("Choose one of the answers."),
        "motivation": _("Give a short motivation."),
    }.get(name, _("This criterion cannot be answered."))


def weighing_context(*, user, report: Report, values=None, problems=None) -> dict:
    """What the weighing form shows: the criteria per weighing with their answers, what was
    typed (after a refusal) and each criterion's problems, and the error summary's links."""
    answers = {
        a.criterion_id: a
        for a in CriterionAnswer.objects.filter(report=report).select_related("author")
    }
    problems = problems or {}
    groups: dict[str, dict] = {}
    summary = []
    for criterion in criterion_list():
        group = groups.setdefault(
            criterion.weighing,
            {"label": Weighing(criterion.weighing).label, "criteria": []},
        )
        answer = answers.get(criterion.pk)
        code = criterion.code
        errors = []
        for key in problems:
            if key.startswith(f"{code}."):
                field = "motivation" if key.endswith(".motivation") else "choice"
                errors.append(problem_text(key))
                summary.append((f"{field}-{code}", f"{criterion.question} {problem_text(key)}"))
        if values is not None and f"motivation-{code}" in values:  # typed, kept on refusal
            choice = values.get(f"choice-{code}", "")
            motivation = values.get(f"motivation-{code}", "")
        else:
            choice = answer.choice if answer else ""
            motivation = answer.motivation if answer else ""
        group["criteria"].append(
            {
                "criterion": criterion,
                "answer": answer,
                "open": criterion.mandatory and answer is None,
                "choice": choice,
                "motivation": motivation,
                "errors": errors,
            }
        )
    return {
        "weighings": list(groups.values()),
        "weighing_problems": summary,
        "weighing_open": report.status in WEIGHING_OPEN,
        # Intake and case handlers see why the decision is not theirs (permissions.py).
        "decides": can(user, Action.DECIDE),
    }
