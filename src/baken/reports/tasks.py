"""Background work of the reports app, run by the tasks worker (`baken db_worker`).

`baken scheduler` enqueues the retraining nightly (settings SCHEDULE, core/scheduling.py);
`baken suggestions train` runs it at once, `baken suggestions enqueue` leaves it to the worker.
"""

from dataclasses import asdict

from django_tasks import task

from .suggestions import suggester_train


@task()
def suggester_retrain() -> dict:
    """Retrain the category suggester (ADR 0008); the result is stored with the task."""
    result = asdict(suggester_train())
    # Task results are stored as JSON.
    result["trained_at"] = result["trained_at"].isoformat() if result["trained_at"] else None
    result["classes"] = list(result["classes"])
    return result


@task()
def reporter_answer_overdue() -> dict:
    """Return reports that waited too long for the reporter's answer to triage (waiting.py)."""
    from .waiting import overdue_return

    return {"returned": overdue_return()}
