"""`baken db_worker`: django-tasks-db's worker, kept alive through a database restart.

Upstream's worker loop lets any database error other than SQLite's "locked" escape, so the
process ended when PostgreSQL restarted (a failover, an upgrade, a reboot of the database
server) and queued work (exports, notifications) waited until someone started it again. This
command is upstream's with one change: when the connection is lost, the broken connections
are closed and the loop starts again after a pause that doubles up to a minute, with a
warning in the log each time (docs/operations.md). A one-off `--batch` run still fails.

Baken's core app comes before django_tasks_db in INSTALLED_APPS so that this command is the
one `baken db_worker` runs.
"""

import logging
import time

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker as upstream

logger = logging.getLogger("baken.worker")

FIRST_PAUSE_SECONDS = 1.0
LONGEST_PAUSE_SECONDS = 60.0


def close_all_connections() -> None:
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:  # noqa: BLE001  (a dead connection may fail to close; it is gone anyway)
            connection.connection = None


class ReconnectingWorker(upstream.Worker):
    pause = FIRST_PAUSE_SECONDS

    def run(self) -> None:
        while True:
            started = time.monotonic()
            try:
                return super().run()
            except (OperationalError, InterfaceError) as exc:
                if self.batch or not self.running:
                    raise
                if time.monotonic() - started > LONGEST_PAUSE_SECONDS:
                    self.pause = FIRST_PAUSE_SECONDS  # it ran well for a while: start afresh
                logger.warning(
                    "Database connection lost (%s); reconnecting in %.0f s.",
                    str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                    self.pause,
                )
                close_all_connections()
                time.sleep(self.pause)
                self.pause = min(self.pause * 2, LONGEST_PAUSE_SECONDS)
                self.startup_delay = False


class Command(upstream.Command):
    help = upstream.Command.help + " (reconnects when the database restarts)"

    def handle(self, *args, **options):
        # The one change: upstream's handle() builds its module's `Worker`; in this process
        # (the worker's own) that is the reconnecting one.
        setattr(upstream, "Worker", ReconnectingWorker)  # noqa: B010
        super().handle(*args, **options)
