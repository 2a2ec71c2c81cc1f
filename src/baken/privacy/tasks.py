"""The nightly retention run, enqueued by `baken scheduler` (settings SCHEDULE,
`retention-run`) and run by the tasks worker."""

from django_tasks import task

from .retention import run


@task()
def retention_run() -> dict:
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
