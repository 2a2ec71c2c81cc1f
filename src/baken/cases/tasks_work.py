"""Tasks on cases: an assignee (a member of the case), a deadline and a state; "my tasks"
across cases; overdue ones highlighted; reminders by e-mail that say only that something is
due (the mail leaves the organisation's systems: no case content in it)."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import SYSTEM
from baken.core.refusals import Kind
from baken.notifications.kinds import Kind as NotificationKind
from baken.notifications.services import notify

from .access import CaseAction, require
from .models import Case, CaseMember, Task, TaskState
from .permissions import may_work
from .selectors import case_list
from .services import CaseRefused, limit_of, lock_open, plausible, problems_of, required_text


def task_add(
    *, case: Case, title: str, assignee: User | None, deadline: date | None, actor: User
) -> Task:
    """A task for a member of the case, by who works in it (access.require, ADR 0027)."""
    require(actor, case, CaseAction.WORK)
    title = (title or "").strip()
    problems = problems_of(
        lambda: required_text(
            title, "title", _("Say what is to be done."), limit_of(Task, "title")
        ),
        lambda: plausible(deadline, "deadline"),
    )
    if deadline is None:
        problems["deadline"] = _("Give a deadline.")
    if (
        assignee is None
        or not CaseMember.objects.filter(case=case, user=assignee, removed_at__isnull=True).exists()
    ):
        problems["assignee"] = _("Choose a member of the case.")
    if problems or assignee is None or deadline is None:
        raise CaseRefused(problems)
    with transaction.atomic():
        locked = lock_open(case)
        task = Task.objects.create(
            case=locked,
            title=title.strip(),
            assignee=assignee,
            deadline=deadline,
            created_by=actor,
            created_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CASE_TASK_ADD,
            target=locked,
            detail={"task": task.pk, "assignee": assignee.pk},
        )
    return task


def task_done(*, task: Task, actor: User) -> Task:
    """Mark a task done: who works in the case (a member, the team lead) or its assignee.
    Refused (404) for whom the case is not theirs to know, 403 for anyone else."""
    if not case_list(user=actor).filter(pk=task.case_id).exists():
        raise CaseRefused({"task": _("Not found.")}, kind=Kind.NOT_FOUND, code="task")
    if not (task.assignee_id == actor.pk or may_work(actor, task.case)):
        raise CaseRefused(
            {"task": _("You are not allowed to do this.")}, kind=Kind.FORBIDDEN, code="task"
        )
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.state == TaskState.DONE:
            return locked
        locked.state, locked.done_at, locked.done_by = TaskState.DONE, timezone.now(), actor
        locked.save(update_fields=["state", "done_at", "done_by"])
        audit_record(
            actor=actor,
            action=AuditAction.CASE_TASK_DONE,
            target=locked.case,
            detail={"task": locked.pk},
        )
    return locked


def my_tasks(*, user: User) -> QuerySet[Task]:
    """The open tasks assigned to this user, in running cases they may still see, soonest
    first (a closed case's open tasks come back when it is reopened)."""
    return Task.objects.filter(
        assignee=user,
        state=TaskState.OPEN,
        case__in=case_list(user=user),
        case__closed_at__isnull=True,
    ).select_related("case")


def send_reminders(*, today: date | None = None) -> int:
    """One reminder a day to each person with open tasks due today, tomorrow or overdue: a
    notification, by e-mail too unless switched off; it names only how many (no case, no
    title). Returns the number of people reminded."""
    today = today or timezone.localdate()
    # Only work still to do: of a running case, for someone still a member of it.
    due = Task.objects.filter(
        Exists(
            CaseMember.objects.filter(
                case=OuterRef("case"), user=OuterRef("assignee"), removed_at__isnull=True
            )
        ),
        state=TaskState.OPEN,
        deadline__lte=today + timedelta(days=1),
        case__closed_at__isnull=True,
    ).exclude(reminded_on=today)
    sent = 0
    for row in due.values("assignee").annotate(n=Count("pk")):
        tasks = due.filter(assignee=row["assignee"]).select_related("assignee")
        person = tasks[0].assignee
        if not person.is_active:
            continue
        with transaction.atomic():
            ids = list(tasks.values_list("pk", flat=True))
            Task.objects.filter(pk__in=ids).update(reminded_on=today)
            # The reminder is a notification: in the app always, and this same count by
            # e-mail (after commit) unless the person switched that off (docs/notifications.md).
            notify(kind=NotificationKind.TASK_DUE, users=[person], count=row["n"])
            audit_record(
                actor=SYSTEM,
                action=AuditAction.CASE_TASK_REMINDER,
                target=person,
                detail={"tasks": ids},
            )
        sent += 1
    return sent
