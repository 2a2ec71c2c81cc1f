"""The Meldpunt's reads: the public catalogue, and what a receipt code may see."""

from django.db.models import Prefetch

from baken.reports.models import Category, Department, Message, Question, Report
from baken.reports.workflow import PUBLIC_STATE, PUBLIC_STATUS


def catalogue() -> list[dict]:
    categories = Category.objects.filter(is_active=True).prefetch_related(
        "indicators", Prefetch("questions", queryset=Question.objects.order_by("position"))
    )
    return [
        {
            "code": category.code,
            "name": category.name,
            "description": category.description,
            "indicators": [indicator.text for indicator in category.indicators.all()],
            # The same signs with their ids: a report names the ones recognised (`signs`).
            "signs": [{"id": sign.pk, "text": sign.text} for sign in category.indicators.all()],
            "questions": [
                {
                    "code": q.code,
                    "text": q.text,
                    "kind": q.kind,
                    "choices": q.choices,
                    "required": q.required,
                }
                for q in category.questions.all()
            ],
        }
        for category in categories
    ]


def departments() -> list[dict]:
    """The departments a reporter may choose from, in the administrator's order, with their
    size band: the form marks a small one, so a reporter knows the team will see only
    'kleine afdeling'."""
    rows = Department.objects.filter(is_active=True).values_list("code", "name", "size")
    return [{"code": code, "name": name, "size": size} for code, name, size in rows]


def public_view(*, report: Report) -> dict:
    """What the holder of the receipt code sees: no names, no notes, no internal state."""
    messages = Message.objects.filter(report=report).order_by("sent_at", "pk")
    return {
        "reference": report.reference,
        "status": PUBLIC_STATE[report.status],
        "status_text": str(PUBLIC_STATUS[report.status]),
        "received_at": report.received_at.isoformat(),
        "messages": [
            {
                "author": message.author,
                "text": message.text,
                "is_question": message.is_question,
                "sent_at": message.sent_at.isoformat(),
            }
            for message in messages
        ],
    }
