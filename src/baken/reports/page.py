"""Everything the report page shows, gathered in a bounded number of queries."""

from itertools import pairwise

from django.utils.translation import gettext

from baken.audit.page_views import with_token

from . import editing
from .assigning import assign_context
from .departments import department_shown
from .diffs import changes_between
from .forms import AttachmentForm, DecisionForm, NoteForm, QuestionForm
from .improving import improve_form
from .models import Attachment, Message, Note, Receipt, Report, StatusChange
from .permissions import Action, can
from .showing import readable
from .waiting import answer_days, answer_due, unanswered
from .weighing_form import weighing_context
from .workflow import DECIDABLE, PUBLIC_STATUS, SYSTEM_REASONS, Status


def _versions(report: Report) -> list[dict]:
    versions = editing.version_list(report=report)
    for older, newer in pairwise(versions):
        newer["changes"] = changes_between(older["data"], newer["data"], newer["changed"])
    versions[0]["changes"] = []
    return list(reversed(versions))


def _label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else (status or "—")


def _reason(change: StatusChange) -> str:
    return gettext(change.reason) if change.reason in SYSTEM_REASONS else change.reason


def report_page_context(*, request, report: Report, **overrides) -> dict:
    user = request.user
    open_criteria = overrides.pop("open_criteria", None)
    if open_criteria is None:
        from .weighing import open_mandatory

        open_criteria = open_mandatory(report=report)
    context = {
        "report": report,
        # The reporter's department, as the 'kleine afdeling' rule lets the team see it.
        "reporter_department": department_shown(report),
        # The signs the reporter recognised (ticked in the indicator guide), in one query.
        "signs": list(report.signs.order_by("position", "pk").values_list("text", flat=True)),
        "original": readable(
            editing.original_data(report),
            report=report,
            answers=report.original.get("answers", {}),
        ),
        "working": readable(editing.working_data(report), report=report, answers=report.answers),
        "versions": _versions(report),
        "notes": Note.objects.filter(report=report).select_related("author"),
        "dialogue": Message.objects.filter(report=report).select_related("sender"),
        "public_status": PUBLIC_STATUS[report.status],
        # System reasons are stored in English (gettext_noop) and translated when shown.
        "history": [
            (change, _label(change.from_status), _label(change.to_status), _reason(change))
            for change in StatusChange.objects.filter(report=report).select_related("actor")
        ],
        # The weighing form (weighing_form.py): criteria, answers, what was typed, problems.
        **weighing_context(
            user=user,
            report=report,
            values=overrides.pop("criterion_values", None),
            problems=overrides.pop("criterion_problems", None),
        ),
        "open_criteria": open_criteria,
        "decisions": report.decisions.select_related("author"),
        "attachments": Attachment.objects.filter(report=report),
        "can": _abilities(user, report),
        # The report it was merged into or split from, only when this user may see it.
        **_lineage(user, report),
        "improve_form": improve_form(report),
        "note_form": NoteForm(),
        "question_form": QuestionForm(),
        "decision_form": DecisionForm(waiting=report.status == Status.AWAITING_REPORTER),
        # The way on from waiting for the reporter: its deadline, or the mark that none came.
        "answer_due": answer_due(report=report),
        "no_answer": report.status == Status.IN_TRIAGE and bool(unanswered(report_ids=[report.pk])),
        "answer_days": answer_days(),
        "attachment_form": AttachmentForm(),
    }
    # For the assignment form: the teams, and the people of the report's team (assigning.py).
    context.update(assign_context(report))
    context.update(_panels(report, overrides.pop("view_token", "")))
    context.update(overrides)
    return context


# A merged report is a record: the team works on the leading report. What stays possible
# is a note and undoing the merge.
_CLOSED_BY_MERGE = {
    Action.IMPROVE,
    Action.ASK,
    Action.WEIGH,
    Action.DECIDE,
    Action.ASSIGN,
    Action.LINK,
}


def _abilities(user, report: Report) -> dict[str, bool]:
    abilities = {action: can(user, action) for action in Action.values}
    if report.merged_into_id is not None:
        abilities.update(dict.fromkeys(_CLOSED_BY_MERGE, False))
    # A question is asked through the follow-up page, which needs the report's receipt
    # (a report split off another has none), and only while the report is in triage.
    abilities[Action.ASK] = bool(
        abilities[Action.ASK]
        and report.status in (Status.RECEIVED, Status.IN_TRIAGE, Status.AWAITING_REPORTER)
        and Receipt.objects.filter(report=report).exists()
    )
    abilities[Action.DECIDE] = bool(abilities[Action.DECIDE] and report.status in DECIDABLE)
    return abilities


def _lineage(user, report: Report) -> dict:
    from .selectors import report_list

    related = {
        "merged_into_ref": report.merged_into_id,
        "split_from_ref": report.split_from_id,
    }
    pks = [pk for pk in related.values() if pk is not None]
    if not pks:
        return dict.fromkeys(related)
    visible = dict(report_list(user=user).filter(pk__in=pks).values_list("pk", "reference"))
    return {
        key: {"pk": pk, "reference": visible[pk]} if pk in visible else None
        for key, pk in related.items()
    }


# What one read of the report page shows: the page itself, then the panels it loads (htmx),
# which log no read of their own when they carry the page view's token (audit/page_views.py).
PAGE_PARTS = [
    "data",
    "versions",
    "attachments",
    "notes",
    "messages",
    "history",
    "weighing",
    "decisions",
]
_PANELS = (
    ("suggestion_url", "reports:suggestion", "suggestion"),
    ("subjects_url", "subjects:report_panel", "subjects"),
    ("related_url", "reports:related", "related"),
    ("cases_url", "cases:report_panel", "cases"),
    ("contact_url", "intake:contact_panel", "contact_form"),
)


def page_parts(pk: int) -> list[str]:
    """The parts one view of the report page shows, for its one read entry."""
    from django.urls import NoReverseMatch, reverse

    parts = list(PAGE_PARTS)
    for _key, name, part in _PANELS:
        try:
            reverse(name, args=[pk])
        except NoReverseMatch:
            continue
        parts.append(part)
    return parts


def _panels(report: Report, view_token: str = "") -> dict:
    """The parts other modules add to the page (related reports, category suggestion,
    assignment), each only when it is installed. `view_token` ties the panels to the page
    view that logged the read."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.urls import NoReverseMatch, reverse

    panels: dict = {}
    for key, name, _part in _PANELS:
        try:
            panels[key] = with_token(reverse(name, args=[report.pk]), view_token)
        except NoReverseMatch:
            panels[key] = ""
    try:
        get_template("reports/_assign_form.html")
        panels["assign_template"] = "reports/_assign_form.html"
    except TemplateDoesNotExist:
        panels["assign_template"] = ""
    return panels
