"""The statement of destruction (verklaring van vernietiging) of a run, as a page and a PDF:
references, categories, dates, rules and approvals, counts; no person, address or text."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from baken.core.pdf import render_pdf
from baken.reports.models import Category, DecisionKind

from .models import DestroyedItem, RetentionRun, RetentionRunLine
from .retention import statement_digest
from .rules import rank


@dataclass(frozen=True)
class Statement:
    run: RetentionRun
    lines: list[RetentionRunLine]
    items: list[DestroyedItem]
    digest_holds: bool  # the lines still give the fingerprint written when the run ended


def statement_of(run: RetentionRun) -> Statement:
    items = list(
        run.destroyed.select_related("rule", "rule__decided_by", "rule__case_type").order_by("pk")
    )
    codes = {item.category for item in items if item.category}
    names = dict(Category.objects.filter(code__in=codes).values_list("code", "name"))
    decisions = dict(DecisionKind.choices)
    for item in items:  # for people: the category's name, the decision's label
        item.category_name = names.get(item.category, item.category)  # type: ignore[attr-defined]
        item.decision_label = decisions.get(item.decision, item.decision)  # type: ignore[attr-defined]
    return Statement(
        run=run,
        lines=sorted(
            run.lines.select_related("rule", "rule__case_type"),
            key=lambda line: rank(line.rule.kind),
        ),
        items=items,
        digest_holds=bool(run.digest) and run.digest == statement_digest(run),
    )


def statement_pdf(statement: Statement) -> bytes:
    html = render_to_string(
        "privacy/pdf/statement.html", {"statement": statement, "made_at": timezone.now()}
    )
    return render_pdf(html)


def statement_file_name(statement: Statement) -> str:
    """The PDF's file name: the day the run started and its number."""
    day = timezone.localdate(statement.run.started_at)
    return f"verklaring-van-vernietiging-{day:%Y-%m-%d}-{statement.run.pk}.pdf"
