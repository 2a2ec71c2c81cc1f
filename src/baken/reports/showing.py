"""A report's data (the original or the working version, in the uniform format) made readable
for the report page: the category's name instead of its code, and the answers to the
category's extra questions with the questions' own text."""

from django.utils.translation import gettext as _

from .diffs import category_name, subject_text
from .models import Question, Report


def _answer_text(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def answer_list(*, answers: dict, category_code: str | None) -> list[tuple[str, str]]:
    """(question, answer) in the category's order of questions.

    The answers were given to the questions of the category the reporter chose, so they are
    read against that category even when the team later chose another. A question removed
    from the catalogue since still shows its answer, under its code."""
    if not answers:
        return []
    questions = {
        q.code: q
        for q in Question.objects.filter(category__code=category_code, code__in=list(answers))
    }
    ordered = sorted(answers, key=lambda code: (code not in questions, _position(questions, code)))
    return [
        (questions[code].text if code in questions else code, _answer_text(answers[code]))
        for code in ordered
    ]


def _position(questions: dict, code: str) -> int:
    question = questions.get(code)
    return question.position if question else 0


def readable(data: dict, *, report: Report, answers: dict) -> dict:
    """`data` with `category_name`, `answer_list` and `subject_lines` added, for
    reports/_data.html."""
    original_category = report.original.get("category")
    shown = dict(data)
    code = data.get("category")
    shown["category_name"] = category_name(code) if code else ""
    shown["answer_list"] = answer_list(answers=answers, category_code=original_category)
    shown["subject_lines"] = [subject_text(subject) for subject in data.get("subjects", [])]
    return shown
