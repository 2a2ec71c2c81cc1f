"""Everything that happened in a case, in time order: decisions, criteria answers, source
research, hand-overs (and the notices of corrections sent after them), interventions, tasks,
membership and notes. The case page shows it; the accountability report prints it (issue
"Werkruimte III", items 9 and 10)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from baken.core import dates

from .models import (
    Case,
    CaseAnswer,
    CaseDecision,
    CaseMember,
    CaseNote,
    Consultation,
    ConsultationState,
    Handover,
    HandoverNotice,
    InterventionChange,
    Task,
)


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # decision, answer, consultation, handover, intervention, task, member, note
    title: str
    text: str
    by: str


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def timeline_rows(case: Case) -> dict[str, list]:
    """The rows the timeline is made of that the case page shows too, read once each with
    what both need (case_page_context passes them to case_timeline)."""
    return {
        "answers": list(CaseAnswer.objects.filter(case=case).select_related("criterion", "author")),
        "consultations": list(
            Consultation.objects.filter(case=case).select_related(
                "source", "requested_by", "decided_by", "hit_recorded_by"
            )
        ),
        "handovers": list(Handover.objects.filter(case=case).select_related("by")),
        "interventions": list(
            case.interventions.select_related("kind", "created_by").prefetch_related(
                Prefetch("changes", queryset=InterventionChange.objects.select_related("author"))
            )
        ),
        "tasks": list(
            Task.objects.filter(case=case).select_related("assignee", "created_by", "done_by")
        ),
        "members": list(
            CaseMember.objects.filter(case=case).select_related("user", "added_by", "removed_by")
        ),
    }


def case_timeline(case: Case, rows: dict[str, list] | None = None) -> list[Event]:
    """`rows`: what timeline_rows read already (the case page); read here otherwise."""
    rows = rows if rows is not None else timeline_rows(case)
    events = (
        _decisions(case, rows["answers"])
        + _consultations(rows["consultations"])
        + _handovers_and_interventions(case, rows["handovers"], rows["interventions"])
        + _tasks_members_notes(case, rows["tasks"], rows["members"])
    )
    return sorted(events, key=lambda e: e.at)


def _decisions(case: Case, answers: list[CaseAnswer]) -> list[Event]:
    events: list[Event] = []
    for d in CaseDecision.objects.filter(case=case).select_related(
        "author", "from_stage", "to_stage", "result", "handler"
    ):
        title = str(d.get_kind_display())
        if d.handler:
            title += f": {_name(d.handler)}"
        if d.to_stage:
            title += f": {d.from_stage.name + ' → ' if d.from_stage else ''}{d.to_stage.name}"
        if d.result:
            title += f" ({d.result.name})"
        events.append(Event(d.at, "decision", title, d.rationale, _name(d.author)))
    for a in answers:
        events.append(
            Event(
                a.at, "answer", f"{a.criterion.question} {a.choice}", a.motivation, _name(a.author)
            )
        )
    return events


def _consultations(consultations: list[Consultation]) -> list[Event]:
    events: list[Event] = []
    for c in consultations:
        events.append(
            Event(
                c.requested_at,
                "consultation",
                _("Source research asked: %(source)s") % {"source": c.source.name},
                c.purpose,
                _name(c.requested_by),
            )
        )
        if c.decided_at:
            decided = (
                _("approved by the privacy officer")
                if c.state == ConsultationState.APPROVED
                else _("refused by the privacy officer")
            )
            events.append(
                Event(
                    c.decided_at,
                    "consultation",
                    f"{c.source.name}: {decided}",
                    c.decision_motivation,
                    _name(c.decided_by),
                )
            )
        if c.hit_recorded_at:
            events.append(
                Event(
                    c.hit_recorded_at,
                    "consultation",
                    f"{c.source.name}: {_('hit') if c.hit else _('no hit')}",
                    c.findings,
                    _name(c.hit_recorded_by),
                )
            )
    return events


def _handovers_and_interventions(case: Case, handovers: list, interventions: list) -> list[Event]:
    events: list[Event] = []
    for h in handovers:
        events.append(
            Event(
                h.at,
                "handover",
                _("Hand-over to %(recipient)s (%(kind)s)")
                % {"recipient": h.recipient, "kind": h.get_recipient_kind_display()},
                f"{h.what} — {_('legal basis')}: {h.legal_basis}",
                _name(h.by),
            )
        )
    # A notice belongs to a hand-over of the case: none to read without one.
    notices = (
        HandoverNotice.objects.filter(handover__case=case).select_related("handover", "by")
        if handovers
        else []
    )
    for n in notices:
        events.append(
            Event(
                n.at,
                "handover",
                _("%(recipient)s informed of a correction") % {"recipient": n.handover.recipient},
                _("About %(about)s, shared on %(date)s.")
                % {"about": n.about, "date": dates.long(n.handover.at)},
                _name(n.by),
            )
        )
    for i in interventions:
        # Each change as it was then: the first, made with the intervention, is its recording.
        changes = list(i.changes.all())
        first = changes[0] if changes and changes[0].at == i.created_at else None
        text = f"{_('legal basis')}: {i.legal_basis}; {_('responsible')}: {i.responsible}"
        text += f"; {_('start')}: {dates.long(i.start_date)}"
        events.append(
            Event(
                i.created_at,
                "intervention",
                _("Intervention recorded: %(kind)s") % {"kind": i.kind.name}
                + (f" ({first.get_state_display()})" if first else ""),
                text,
                _name(i.created_by),
            )
        )
        for change in changes[1:] if first else changes:
            said = []
            if change.end_date:
                said.append(f"{_('end')}: {dates.long(change.end_date)}")
            if change.outcome:
                said.append(f"{_('outcome')}: {change.outcome}")
            events.append(
                Event(
                    change.at,
                    "intervention",
                    _("%(kind)s: %(state)s")
                    % {"kind": i.kind.name, "state": change.get_state_display()},
                    "; ".join(said),
                    _name(change.author),
                )
            )
    return events


def _tasks_members_notes(case: Case, tasks: list, members: list) -> list[Event]:
    events: list[Event] = []
    for t in tasks:
        events.append(
            Event(
                t.created_at,
                "task",
                _("Task: %(title)s") % {"title": t.title},
                _("For %(who)s, deadline %(date)s.")
                % {"who": _name(t.assignee), "date": dates.long(t.deadline)},
                _name(t.created_by),
            )
        )
        if t.done_at:
            events.append(
                Event(
                    t.done_at,
                    "task",
                    _("Task done: %(title)s") % {"title": t.title},
                    "",
                    _name(t.done_by),
                )
            )
    for m in members:
        events.append(
            Event(
                m.added_at,
                "member",
                _("Member added: %(who)s") % {"who": _name(m.user)},
                m.reason,
                _name(m.added_by),
            )
        )
        if m.removed_at:
            events.append(
                Event(
                    m.removed_at,
                    "member",
                    _("Member removed: %(who)s") % {"who": _name(m.user)},
                    m.removal_reason,
                    _name(m.removed_by),
                )
            )
    for note in CaseNote.objects.filter(case=case).select_related("author"):
        events.append(Event(note.at, "note", _("Note"), note.text, _name(note.author)))
    return events
