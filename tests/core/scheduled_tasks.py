"""A task for the scheduler tests: it counts its runs."""

from django_tasks import task

RUNS: list[str] = []


@task()
def tick() -> str:
    RUNS.append("tick")
    return "tick"
