"""Background work of the exports app, run by the tasks worker (`baken db_worker`);
`exports_expire` is scheduled by `baken scheduler` (settings SCHEDULE)."""

import uuid

from django_tasks import task

from . import services


@task()
def export_build(export_id: str) -> dict:
    export = services.export_run(export_id=uuid.UUID(export_id))
    if export is None:
        return {"state": "gone"}
    return {"state": export.state, "rows": export.rows_done}


@task()
def exports_expire() -> int:
    return services.exports_expire()
