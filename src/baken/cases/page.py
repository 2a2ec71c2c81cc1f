"""Everything the case page shows, in a bounded number of queries."""

import uuid

from django.utils import timezone

from baken.accounts.models import User
from baken.reports.selectors import report_list
from baken.subjects.selectors import subject_list

from .facts import derived_states
from .forms import CloseForm, HandlerForm, MemberForm, NoteForm, RationaleForm
from .lookup import MEMBER_FOUND_MAX, MEMBER_ROLES, member_search
from .models import (
    Case,
    CaseMember,
    InterventionState,
    InterventionType,
    RecipientKind,
    Source,
    StageCriterion,
)
from .permissions import WORK_ROLES, may_steer, may_work
from .timeline import case_timeline, timeline_rows
from .work import case_subjects


def _subjects(user, case: Case) -> list:
    """The case's registered subjects this user may know of, each with its network."""
    ids = [s.pk for s in case_subjects(case)]
    if not ids:  # nothing to scope: the user's subjects are not asked for
        return []
    return list(subject_list(user=user).filter(pk__in=ids).order_by("kind", "name"))


def handler_candidates(case: Case):
    """Who may be appointed case handler: the case's current members of its team in a
    working role (services.case_handler_set)."""
    return (
        User.objects.filter(
            is_active=True,
            role__in=WORK_ROLES,
            team=case.team_id,
            pk__in=CaseMember.objects.filter(case=case, removed_at__isnull=True).values("user"),
        )
        .exclude(pk=case.handler_id or 0)
        .order_by("first_name", "last_name", "username")
    )


def member_form_for(case: Case, *, query: str = "", data=None) -> dict:
    """The "add a member" form of the case page: the people found for `query` (by default the
    case team's own; at most lookup.MEMBER_FOUND_MAX), never a list of every active user. A
    form that came back offers the person chosen in it again; what is posted is checked
    against every active analyst, case handler and team lead (the service checks the rest)."""
    shown, more = member_search(case=case, query=query)
    chosen = (data or {}).get("user", "")
    posted = chosen.isascii() and chosen.isdigit() and len(chosen) < 18
    may_join = User.objects.filter(is_active=True, role__in=MEMBER_ROLES)
    if posted and int(chosen) not in {person.pk for person in shown}:
        shown = [*may_join.filter(pk=int(chosen)).select_related("team"), *shown]
    form = MemberForm(data, candidates=may_join, shown=shown)
    return {
        "member_form": form,
        "member_query": " ".join(query.split())[:100],
        "member_more": more,
        "member_limit": MEMBER_FOUND_MAX,
    }


def _can_advance(case: Case, stages: list) -> bool:
    """Whether a working stage follows the current one (from the last working stage the case
    closes with a result instead)."""
    return (
        any(s.position > case.stage.position and not s.is_closed for s in stages)
        and not case.is_closed
    )


def _offer(form, name: str, rows: list) -> None:
    """A select of `form` offers `rows`, read once here, instead of asking its queryset again
    each time it is rendered; the field's queryset still checks what is posted."""
    field = form.fields[name]
    field.widget.choices = [
        ("", field.empty_label),
        *((row.pk, field.label_from_instance(row)) for row in rows),
    ]


def case_page_context(
    *, user, case: Case, read_only: bool = False, member_query: str = "", **overrides
) -> dict:
    # The rows the timeline and the page both show, read once (timeline.timeline_rows).
    rows = timeline_rows(case)
    answers = {a.criterion_id: a for a in rows["answers"] if a.criterion.stage_id == case.stage_id}
    stage_criteria = list(StageCriterion.objects.filter(stage=case.stage_id))
    derived = derived_states(case, stage_criteria, known=rows)
    criteria = [
        {"criterion": c, "answer": answers.get(c.pk), "derived": derived.get(c.pk)}
        for c in stage_criteria
    ]
    case_reports = list(case.reports.order_by("received_at"))
    visible = set(
        report_list(user=user)
        .filter(pk__in=[r.pk for r in case_reports])
        .values_list("pk", flat=True)
    )
    members = rows["members"]
    current = [m for m in members if m.removed_at is None]
    member = any(m.user_id == user.pk for m in current)
    work = not read_only and may_work(user, case, member=member)
    steer = not read_only and may_steer(user, case, member=member)
    stages = list(case.version.stages.all())
    close_form = CloseForm(case=case, prefix="close")
    handler_form = HandlerForm(prefix="handler", candidates=handler_candidates(case))
    handler_offered = False
    if steer and not case.is_closed:  # the page shows both forms only then
        people = list(handler_candidates(case))
        _offer(handler_form, "handler", people)
        handler_offered = bool(people)
        _offer(close_form, "result", list(case.version.results.all()))
    context = {
        "case": case,
        "stages": stages,
        "can_advance": _can_advance(case, stages),
        "criteria": criteria,
        # services.open_criteria, from the stage's criteria, answers and facts read above.
        "open_criteria": [
            c
            for c in stage_criteria
            if c.mandatory and (not derived[c.pk].met if c.fact else c.pk not in answers)
        ],
        "case_reports": [(r, r.pk in visible) for r in case_reports],
        "members": current,
        "former_members": [m for m in members if m.removed_at is not None],
        "may_work": work and not case.is_closed,
        "may_steer": steer,
        "may_note": work,
        "note_form": NoteForm(prefix="note"),
        "read_only": read_only,
        "advance_form": RationaleForm(prefix="advance"),
        "close_form": close_form,
        "reopen_form": RationaleForm(prefix="reopen"),
        "handler_form": handler_form,
        "handler_offered": handler_offered,
        "handover_key": uuid.uuid4(),
        "sources": Source.objects.filter(is_active=True),
        "consultations": rows["consultations"],
        "intervention_types": InterventionType.objects.filter(is_active=True),
        "interventions": rows["interventions"],
        "intervention_states": InterventionState.choices,
        "handovers": rows["handovers"],
        "recipient_kinds": RecipientKind.choices,
        "timeline": case_timeline(case, rows),
        "tasks": rows["tasks"],
        "subjects": _subjects(user, case),
        "today": timezone.localdate(),
    }
    if steer and "member_form" not in overrides:
        context.update(member_form_for(case, query=member_query))
    context.update(overrides)
    return context
