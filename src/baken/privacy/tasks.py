"""The nightly retention run, enqueued by `baken scheduler` (settings SCHEDULE,
`retention-run`) and run by the tasks worker."""

from django_tasks import task

from .retention import lower_priority, run


@task()
def retention_run() -> dict:
    lower_priority()  # the web first (settings.RETENTION_NICE)
    record, lines = run()
    return {
        "run": record.pk,
        "lines": {
            line.rule.kind: {
                "due": line.found.due,
                "held": line.found.held,
                "done": line.found.done,
            }
            for line in lines
        },
    }
