"""Background work of the cases app, run by the tasks worker and scheduled by
`baken scheduler` (settings SCHEDULE)."""

from django_tasks import task

from .tasks_work import send_reminders


@task()
def task_reminders() -> int:
    return send_reminders()
