"""How long the migrations since v0.1.0 (eeab89c) take on a large reports table.

Usage: .venv/bin/python bench/migrations.py [--reports N] [--databases sqlite,postgresql]
       [--database-url URL]

Loads N demo reports (default 1,000,000; `bench/triage.py`'s loader) into a fresh database of
each kind (PostgreSQL: a `baken_bench_<pid>` database on DATABASE_ADMIN_URL, dropped after),
migrated to today's schema. The reports table's columns have not changed since v0.1.0, so the
migrations are then measured by undoing them and running them again:

- subjects 0005 (the search indexes on what reports mention): its report indexes are dropped
  and its forward step (`ensure_search_index`) is run and timed, as an upgrade runs it;
- the others (accounts 0002, cases 0010, core 0002, intake 0006-0008 with reports 0011,
  notifications 0001) are migrated back to v0.1.0's state and forward again with `migrate`,
  timed per app.

Floors on the same table: a plain `SELECT count(*)` scan and a bare b-tree `CREATE INDEX` on
`reports_report (reference)`.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.triage import analyze, load_reports, run_everywhere  # noqa: E402

# The last migration of each app at v0.1.0, and the app's newest now.
AT_PREVIOUS = {
    "accounts": ("0001_initial", "0002_sso"),
    "cases": ("0009_decision_handler", "0010_derived_criteria"),
    "core": ("0001_initial", "0002_heartbeats_and_audit_verifications"),
    "intake": ("0005_triage", "0008_moved_to_reports"),
    "notifications": ("zero", "0001_initial"),
}
REPORT_INDEXES = ["report_description_fts", "report_subject_words", "report_place_words"]


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def measure(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from baken.reports.models import Report
    from baken.subjects.search_index import SQLITE_DROP, ensure_search_index

    call_command("migrate", verbosity=0)
    loaded = load_reports(connection, args.reports)
    analyze(connection)
    n = Report.objects.count()
    print(f"\n{connection.vendor}: {n:,} reports (loaded in {loaded:.0f} s)")

    def run(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)

    scan = timed(lambda: run("SELECT count(*) FROM reports_report"))
    index = timed(lambda: run("CREATE INDEX bench_floor ON reports_report (reference)"))
    run("DROP INDEX bench_floor")
    print(f"  floor: SELECT count(*) {scan:.2f} s; bare CREATE INDEX (reference) {index:.2f} s")

    if connection.vendor == "postgresql":
        for name in REPORT_INDEXES:
            run(f"DROP INDEX IF EXISTS {name}")
    else:
        for sql in SQLITE_DROP:
            run(sql)
    search = timed(lambda: ensure_search_index(connection))
    print(f"  subjects 0005 (search indexes over the reports): {search:.2f} s")

    for app, (previous, newest) in AT_PREVIOUS.items():
        call_command("migrate", app, previous, verbosity=0)
        seconds = timed(
            lambda app=app, newest=newest: call_command("migrate", app, newest, verbosity=0)
        )
        print(f"  {app} {previous} -> {newest}: {seconds:.2f} s")


def run_child(args, database_url: str, var: Path) -> int:
    import os
    import subprocess

    root = Path(__file__).resolve().parents[1]
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        BAKEN_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="baken.settings.test",
        PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    )
    command = [sys.executable, __file__, "--child", "--reports", str(args.reports)]
    return subprocess.run(command, env=env, cwd=root, check=False).returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--database-url", help="use this database (kept) instead of fresh ones")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args)
        return
    sys.exit(run_everywhere(args, run_child))


if __name__ == "__main__":
    main()
