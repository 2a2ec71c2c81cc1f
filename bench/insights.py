"""Latency of the team dashboard and the management view with millions of demo reports, and
the time to build the weekly overview.

    .venv/bin/python bench/insights.py [--reports N] [--requests R] [--databases postgresql]
                                       [--database-url URL] [--verbose]

For each database (default a fresh PostgreSQL database baken_bench_<pid> on
DATABASE_ADMIN_URL, created and dropped; "sqlite" for a SQLite file in a temp dir), loads N
demo reports (`baken demo-data`'s generator, seed 1, no photos), imports the demo areas,
builds the figures' rollup (ADR 0014; timed: what the first read after a bulk load costs),
runs ANALYZE, and requests through Django's test Client (DEBUG off):

- the dashboard (GET /werkruimte/inzicht/) of a team lead of "OOV Havenwaard", last 12 and
  last 52 weeks, and filtered by category and area; of an analyst, last 52 weeks;
- the management view (GET /werkruimte/inzicht/management), as management;
- the hotspots page (last 4 weeks), team lead.

p50/p95 of R requests each (the whole request). Next to it the floor: the page's SELECTs
(captured from one request), each run raw with cursor.execute + fetchall (median of 5),
summed. Then: one report changed and the dashboard loaded again (its week rebuilt; median of
5), and `baken weekly-overview --week <the last full week before the demo's ANCHOR>` timed.
Goal: dashboard p95 < 300 ms, weekly overview < 5 s, at 5,000,000 reports on PostgreSQL.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from triage import analyze, load_reports, p, run_everywhere, time_page  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GOAL_P95_MS, GOAL_OVERVIEW_S = 300.0, 5.0


def page_floor(connection, client, url: str, query: dict) -> tuple[float, int]:
    """The page's SELECTs, captured from one request, each run raw (median of 5), summed."""
    from triage import sql_floor

    queries: list = []

    def record(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(url, query)
    floor, _per_query = sql_floor(connection, queries)
    return floor, len(queries)


def measure(args) -> None:
    """In the child process: Django set up on DATABASE_URL."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command, get_commands
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from baken.accounts.models import Team, User
    from baken.core.roles import Role
    from baken.demo.reports import ANCHOR
    from baken.insights import figures_rollup
    from baken.insights.models import FigureBucket
    from baken.places.areas import DEMO_AREAS
    from baken.reports.models import Report

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("areas", "import", str(DEMO_AREAS), verbosity=0)
    load = load_reports(connection, args.reports)
    # As in production: a refresh too big for a page view is queued for the worker (the
    # database backend; no worker runs here), not run inside the request.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    start = time.perf_counter()
    figures_rollup.rollup_refresh()  # what the worker does after a bulk load
    built = time.perf_counter() - start
    weeks = FigureBucket.objects.values("week").distinct().count()
    analyzed = analyze(connection)

    team = Team.objects.get(name="OOV Havenwaard")
    users = {}
    for username, role in (
        ("teamleider", Role.TEAM_LEAD),
        ("analist", Role.ANALYST),
        ("management", Role.MANAGEMENT),
    ):
        user, made = User.objects.get_or_create(
            username=f"bench-{username}",
            defaults={"role": role, "team": team if role != Role.MANAGEMENT else None},
        )
        if made:
            TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        users[username] = user

    def client_for(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
        return client

    lead, analyst = client_for(users["teamleider"]), client_for(users["analist"])
    management = client_for(users["management"])
    dashboard = "/werkruimte/inzicht/"
    pages = [
        ("dashboard, team lead, 12 weeks", lead, dashboard, {"period": "12"}),
        ("dashboard, team lead, 52 weeks", lead, dashboard, {"period": "52"}),
        (
            "dashboard, team lead, 52 w, drugs+area",
            lead,
            dashboard,
            {"period": "52", "category": "drugs", "area": "havenwaard"},
        ),
        ("dashboard, analyst, 52 weeks", analyst, dashboard, {"period": "52"}),
        ("management view", management, "/werkruimte/inzicht/management", {}),
        ("hotspots, team lead, 4 weeks", lead, "/werkruimte/inzicht/brandpunten", {"weeks": "4"}),
    ]
    rows = []
    for name, client, url, query in pages:
        latencies = time_page(
            client, lambda i, url=url, query=query: (url, query), args.requests, name
        )
        floor, n = page_floor(connection, client, url, query)
        rows.append((name, p(latencies, 50), p(latencies, 95), floor, n))

    # One report changed: the next read rebuilds its week inline when the week is small
    # enough (BAKEN_INSIGHTS_INLINE_REFRESH_MAX), else asks the worker and shows the figures
    # as they were; then the worker's refresh, timed.
    changed, refreshed = [], []
    newest = Report.objects.filter(team=team).order_by("-received_at")[:5]
    for report in newest:
        report.save(update_fields=["status"])  # marks its week stale, as any service's save
        start = time.perf_counter()
        lead.get(dashboard, {"period": "52"})
        changed.append(time.perf_counter() - start)
        start = time.perf_counter()
        figures_rollup.rollup_refresh()
        refreshed.append(time.perf_counter() - start)
    week_size = Report.objects.filter(
        received_at__gte=figures_rollup.week_begins(figures_rollup.week_of(newest[0].received_at))
    ).count()

    overview = None
    week = (
        ANCHOR.date() - __import__("datetime").timedelta(days=ANCHOR.weekday() + 7)
    ).isocalendar()
    label = f"{week[0]}-W{week[1]:02d}"
    if "weekly-overview" in get_commands():
        start = time.perf_counter()
        call_command("weekly-overview", week=label)
        overview = time.perf_counter() - start

    print(
        f"insights on {connection.vendor}: {Report.objects.count()} reports (loaded in "
        f"{load:.0f} s; rollup of {weeks} weeks, {FigureBucket.objects.count()} rows, built in "
        f"{built:.1f} s; analyzed in {analyzed:.0f} s), {args.requests} requests per page, "
        f"test Client, {os.cpu_count()} cores"
    )
    print(f"  {'page':40} {'p50 ms':>7} {'p95 ms':>7} {'floor ms':>8} {'queries':>7}  goal")
    for name, p50, p95, floor, n in rows:
        goal = "" if name.startswith("hotspots") else ("met" if p95 < GOAL_P95_MS else "NOT met")
        print(f"  {name:40} {p50:7.1f} {p95:7.1f} {floor:8.1f} {n:7}  {goal}")
    print(
        f"  dashboard right after one report changed: median "
        f"{statistics.median(changed) * 1000:.0f} ms, max {max(changed) * 1000:.0f} ms; "
        f"the refresh of its week ({week_size} reports; inline up to "
        f"{settings.INSIGHTS_INLINE_REFRESH_MAX}, else in the worker): median "
        f"{statistics.median(refreshed) * 1000:.0f} ms"
    )
    if overview is None:
        print(f"  weekly overview {label}: the command weekly-overview does not exist yet")
    else:
        met = "met" if overview < GOAL_OVERVIEW_S else "NOT met"
        print(
            f"  weekly overview {label}: {overview:.2f} s  (goal < {GOAL_OVERVIEW_S:.0f} s: {met})"
        )
    print(
        f"  goal: dashboard and management view p95 < {GOAL_P95_MS:.0f} ms. p50/p95: the whole "
        "request (test Client: middleware, session, rendering, the audit write).\n"
        "  floor: the page's SELECTs, captured from one request, each run raw with "
        "cursor.execute + fetchall (median of 5), summed."
    )


def run_child(args, database_url: str, var: Path) -> int:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        BAKEN_VAR_DIR=str(var),
        BAKEN_DEBUG="off",
        BAKEN_ALLOWED_HOSTS="testserver,127.0.0.1",
        DJANGO_SETTINGS_MODULE="baken.settings.test",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    command = [sys.executable, __file__, "--child", "--reports", str(args.reports)]
    command += ["--requests", str(args.requests)]
    return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--databases", default="postgresql")
    parser.add_argument("--database-url", help="use this database (kept) instead of a fresh one")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args)
        return
    sys.exit(run_everywhere(args, run_child))


if __name__ == "__main__":
    main()
