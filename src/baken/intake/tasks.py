"""Background work of the Meldpunt, run by the tasks worker (`baken db_worker`)."""

from django_tasks import task

from .notifications import acknowledge


@task()
def reporter_acknowledge(report_id: int) -> bool:
    """The named reporter's acknowledgement (notifications.acknowledge)."""
    return acknowledge(report_id=report_id)
