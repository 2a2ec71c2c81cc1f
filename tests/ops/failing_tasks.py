"""A task that fails, with a name in its error, for the system status page's tests."""

from django_tasks import task


@task()
def breaks() -> None:
    raise RuntimeError("could not reach Pietersen")
