"""Background work of the insights app, run by the tasks worker (`baken db_worker`) and
scheduled by `baken scheduler` (settings SCHEDULE: "weekly-overview", Monday 6:30)."""

from django_tasks import task

from .figures_rollup import rollup_refresh
from .overview import overview_build
from .overview_mail import overview_send
from .overview_week import Week


@task()
def weekly_overview() -> dict:
    """Build the week that ended last Sunday and mail it to the subscribers (each once)."""
    overview = overview_build(week=Week.last_complete())
    return {
        "week": overview.week,
        "digest": overview.digest,
        "sent": overview_send(overview=overview),
    }


@task()
def figures_refresh() -> bool:
    """Bring the dashboard's rollup up to date, however many reports that reads (a page
    leaves a big refresh to this task: figures_rollup.rollup_refresh), the awareness
    figures' rows included (awareness_rollup.awareness_refresh)."""
    from .awareness_rollup import awareness_refresh

    return rollup_refresh() and awareness_refresh()
