"""Latency of the awareness figures (issue 17) with a million demo reports, against their
raw-SQL floor.

    .venv/bin/python bench/awareness.py [--reports N] [--requests R] [--databases postgresql]
                                        [--database-url URL] [--verbose]

For each database (default a fresh PostgreSQL database baken_bench_<pid> on
DATABASE_ADMIN_URL, created and dropped; "sqlite" for a SQLite file in a temp dir): loads the
demo municipality as `baken demo-setup` does (teams, the demo users, areas, routing, the demo
departments), then N demo reports (`baken demo-data`'s generator, seed 1, no photos: about 60%
with a department, about half with ticked signs; the demo cases are written by the demo users,
so the team lead's and analyst's case memberships are the demo's), then the demo trainings,
builds the dashboard's rollup (ADR 0014), runs ANALYZE, and requests through Django's test
Client (DEBUG off) as the demo users `teamleider` and `analist` (OOV Havenwaard) and
`management`:

- the figures page (GET /werkruimte/bewustwording/cijfers), the default period (the last 12
  months) and the longest a user may choose (36 months);
- GET /api/v1/awareness/figures, default period (management: its fixed 12 months);
- the dashboard (GET /werkruimte/inzicht/) with its awareness section, its default period;
- the management view (GET /werkruimte/inzicht/management) with its awareness table.

p50/p95 of R requests each (the whole request: middleware, session, rendering, the audit
write). Next to it the floor: the page's SELECTs, captured from one request, each run raw with
cursor.execute + fetchall (median of 5), summed; and the number of queries of that request
(all of them: session, user, audit write too). --verbose prints each page's slowest SELECTs
and EXPLAIN ANALYZE of the slowest of all. Goal: p95 < 100 ms.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from triage import (  # noqa: E402
    analyze,
    child_runner,
    load_reports,
    p,
    run_everywhere,
    sql_floor,
    time_page,
)

ROOT = Path(__file__).resolve().parents[1]
GOAL_P95_MS = 100.0


def page_floor(connection, client, url: str, query: dict):
    """The page's SELECTs, captured from one request, each run raw (median of 5), summed; the
    number of queries of the request; each SELECT's time with its SQL and parameters."""
    queries: list = []

    def record(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(url, query).status_code == 200, url
    floor, per_query = sql_floor(connection, queries)
    params = {sql: params for sql, params in queries}
    return floor, len(queries), [(ms, sql, params[sql]) for ms, sql in per_query]


def explain(connection, sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def prepare(args, connection) -> tuple[float, float, float]:
    """The demo municipality, N reports, the trainings, the rollup; the seconds each took."""
    from django.conf import settings

    from baken.demo import municipality
    from baken.demo.departments import demo_departments
    from baken.demo.trainings import demo_trainings
    from baken.insights import figures_rollup

    municipality.demo_load()  # before the reports: the demo cases are the demo users'
    demo_departments()  # before the reports, which name them
    load = load_reports(connection, args.reports)
    demo_trainings()
    # As in production: a refresh too big for a page view is queued for the worker (no
    # worker runs here), so the rollup is built once, as the worker does after a bulk load.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    start = time.perf_counter()
    figures_rollup.rollup_refresh()
    built = time.perf_counter() - start
    return load, built, analyze(connection)


def measure(args) -> None:
    """In the child process: Django set up on DATABASE_URL."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from baken.accounts.models import User
    from baken.awareness.figures import add_months
    from baken.awareness.models import Training
    from baken.reports.models import Report

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    load, built, analyzed = prepare(args, connection)

    def client_for(username: str) -> Client:
        user = User.objects.get(username=username, is_demo=True)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
        session.save()
        return client

    lead, analyst = client_for("teamleider"), client_for("analist")
    management = client_for("management")
    today = timezone.localdate()
    # The longest period the page accepts: the end lies before the start + 36 months.
    long = {"start": (add_months(today, -36) + timedelta(days=1)).isoformat()}
    long["end"] = today.isoformat()
    figures, api = "/werkruimte/bewustwording/cijfers", "/api/v1/awareness/figures"
    pages = []
    for who, client in (("team lead", lead), ("analyst", analyst)):
        pages += [
            (f"figures page, {who}, 12 months", client, figures, {}),
            (f"figures page, {who}, 36 months", client, figures, long),
            (f"API, {who}, 12 months", client, api, {}),
            (f"dashboard, {who}, with awareness", client, "/werkruimte/inzicht/", {}),
        ]
    pages += [
        ("API, management", management, api, {}),
        ("management view, management", management, "/werkruimte/inzicht/management", {}),
    ]

    rows, slowest = [], []
    for name, client, url, query in pages:
        latencies = time_page(
            client, lambda i, url=url, query=query: (url, query), args.requests, name
        )
        floor, n, per_query = page_floor(connection, client, url, query)
        rows.append((name, p(latencies, 50), p(latencies, 95), floor, n))
        per_query.sort(key=lambda item: -item[0])
        slowest += [(ms, name, sql, params) for ms, sql, params in per_query[:1]]
        if args.verbose:
            for ms, sql, _params in per_query[:3]:
                print(f"    {name}: {ms:8.2f} ms  {sql[:160]}", file=sys.stderr)

    with_department = Report.objects.filter(department__isnull=False).count()
    print(
        f"awareness figures on {connection.vendor}: {Report.objects.count()} reports "
        f"({with_department} with a department; loaded in {load:.0f} s, rollup {built:.0f} s, "
        f"analyzed in {analyzed:.0f} s), {Training.objects.count()} trainings, "
        f"{args.requests} requests per page, test Client, {os.cpu_count()} cores"
    )
    print(f"  {'page':38} {'p50 ms':>7} {'p95 ms':>7} {'floor ms':>8} {'queries':>7}  goal")
    for name, p50, p95, floor, n in rows:
        goal = "met" if p95 < GOAL_P95_MS else "MISSED"
        print(f"  {name:38} {p50:7.1f} {p95:7.1f} {floor:8.1f} {n:7}  {goal}")
    print(
        f"  goal: p95 < {GOAL_P95_MS:.0f} ms. p50/p95: the whole request (test Client: "
        "middleware, session, rendering, the audit write).\n"
        "  floor: the page's SELECTs, captured from one request, each run raw with "
        "cursor.execute + fetchall (median of 5), summed; queries: all of that request's."
    )
    ms, name, sql, params = max(slowest, key=lambda item: item[0])
    print(f"  slowest SELECT ({name}, {ms:.1f} ms raw):\n    {sql}")
    if args.verbose and connection.vendor == "postgresql":
        print(explain(connection, sql, params))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--databases", default="postgresql")
    parser.add_argument("--database-url", help="use this database (kept) instead of a fresh one")
    parser.add_argument("--verbose", action="store_true", help="slowest SQL, EXPLAIN ANALYZE")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args)
        return
    sys.exit(run_everywhere(args, child_runner(__file__)))


if __name__ == "__main__":
    main()
