"""The nightly access review, enqueued by `baken scheduler` (settings SCHEDULE,
`access-review`) and run by the tasks worker: yesterday's audit log (oversight/review.py)."""

from django_tasks import task

from .review import run


@task()
def access_review() -> dict:
    outcome = run()
    return {
        "day": outcome.day.isoformat(),
        "new": [flag.pk for flag in outcome.new],
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
    }
