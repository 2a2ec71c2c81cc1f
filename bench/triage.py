"""Latency of the triage pages with a million reports, against their raw-SQL floor.

    .venv/bin/python bench/triage.py [--reports N] [--requests R] [--databases sqlite,postgresql]
                                     [--database-url URL] [--now MOMENT] [--verbose]

For each database (a SQLite file in a temp dir; a fresh PostgreSQL database baken_bench_<pid>
on DATABASE_ADMIN_URL, created and dropped), loads the demo municipality (`baken demo-setup`)
and N demo reports (`baken demo-data`'s generator, seed 1, no photos), all dated relative to
--now (default 2026-12-01T12:00:00+01:00), with the product's clock pinned to the same moment
(bench/clock.py), so "overdue" does not drift with the day of the run; logs in the demo's own
team lead and analyst of "OOV Havenwaard" (`teamleider`, `analist`: the analyst is a member
of the team's demo cases, as in the demo; the output says of how many), their sessions
verified as tests/conftest.py `verified_client` does; the analyst also has 100 reports of the
other team assigned; runs ANALYZE, and requests through Django's test Client (DEBUG off):

- the inbox (GET /werkruimte/), default filter and `status=in_triage&overdue=on`;
- the report page (GET /werkruimte/meldingen/<id>), over 50 reports of the team.

p50/p95 of R requests each (the whole request). Next to it the page's data through the ORM:
what the view asks of the database (the same services and querysets, every one forced,
model instances built), without rendering and the audit write; and its floor: the SELECTs
of that ORM work, captured with an execute wrapper (the same SQL and parameters), each run
with cursor.execute plus fetchall (median of 5), summed. Ratio = ORM p50 / floor.
Goal: p95 < 100 ms, the ORM within 2x of the raw-SQL floor. --database-url measures an existing
database instead (kept; reports are added only up to N); --verbose shows each page's slowest SQL.
"""

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADMIN_URL = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
GOAL_P95_MS, GOAL_RATIO = 100.0, 2.0
NOW = "2026-12-01T12:00:00+01:00"  # the fixed moment of the data and the clock (bench/clock.py)


def p(latencies: list[float], q: int) -> float:
    return statistics.quantiles(latencies, n=100, method="inclusive")[q - 1] * 1000


def time_page(client, request, n: int, name: str) -> list[float]:
    for i in range(3):  # warm-up: caches, prepared plans, the session
        assert client.get(*request(i)).status_code == 200, name
    latencies = []
    for i in range(n):
        start = time.perf_counter()
        response = client.get(*request(i))
        latencies.append(time.perf_counter() - start)
        assert response.status_code == 200, (name, response.status_code)
    return latencies


def time_data(data, n: int) -> list[float]:
    for i in range(3):
        data(i)
    latencies = []
    for i in range(n):
        start = time.perf_counter()
        data(i)
        latencies.append(time.perf_counter() - start)
    return latencies


def data_queries(connection, data) -> list[tuple[str, object]]:
    queries: list[tuple[str, object]] = []

    def record(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        data(0)
    return queries


def inbox_data(user, query: dict):
    """What the inbox view asks of the database (reports/views.py inbox_view), forced."""
    from django.http import QueryDict

    from baken.reports import inbox
    from baken.reports.forms import InboxFilterForm, category_choices

    data = QueryDict(mutable=True)
    for key, value in query.items():
        data[key] = value
    form = InboxFilterForm(data or None, categories=category_choices())
    filters = inbox.filter_from_form(form)
    counts = inbox.inbox_counts(user=user, filters=filters)
    page = inbox.inbox_page(user=user, filters=filters, counts=counts, number=1, per_page=50)
    return counts, list(page)


def report_data(user, pk: int):
    """What the report page asks of the database (reports/page.py), every queryset forced;
    the read itself through the selector's queryset, without its audit write."""
    from django.db.models import QuerySet
    from django.test import RequestFactory

    from baken.reports.page import report_page_context
    from baken.reports.selectors import report_list

    report = report_list(user=user).get(pk=pk)
    request = RequestFactory().get(f"/werkruimte/meldingen/{pk}")
    request.user = user
    context = report_page_context(request=request, report=report)
    return [list(v) if isinstance(v, QuerySet) else v for v in context.values()]


def sql_floor(connection, queries) -> tuple[float, list[tuple[float, str]]]:
    """The page's SELECTs run raw (execute + fetchall), median of 5 after one warm-up, in ms."""
    per_query = []
    for sql, params in queries:
        if not sql.lstrip("( ").upper().startswith("SELECT"):
            continue  # the page's writes: the audit entry, the session
        runs = []
        for _ in range(6):
            with connection.cursor() as cursor:
                start = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                runs.append(time.perf_counter() - start)
        per_query.append((statistics.median(runs[1:]) * 1000, sql))
    return sum(ms for ms, _sql in per_query), per_query


def load_reports(connection, n: int, now=None) -> float:
    """N demo reports (seed 1, no photos), dated relative to `now` (default: the demo's old
    fixed moment, demo/reports.py ANCHOR, which the other benchmarks' figures were measured
    with); the seconds it took."""
    from baken.demo.reports import ANCHOR, DemoReports
    from baken.reports.models import Report

    def progress(done: int) -> None:
        sys.stderr.write(f"\r  {connection.vendor}: {done}/{n} reports")

    start = time.perf_counter()
    existing = Report.objects.count()
    if existing < n:  # --database-url may point at a database loaded before
        DemoReports(seed=1, photo_share=0, now=now or ANCHOR).create(
            n - existing, progress=progress
        )
        sys.stderr.write("\n")
    return time.perf_counter() - start


def analyze(connection) -> float:
    """Fresh planner statistics (autovacuum's job on PostgreSQL, ANALYZE's on SQLite)."""
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - start


def measure(args) -> None:
    """In the child process: Django set up on DATABASE_URL."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from baken.accounts.models import Team, User
    from baken.cases.models import CaseMember
    from baken.core.roles import Role
    from baken.reports.models import Report
    from bench.clock import pin

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    # The data and the product's clock at one fixed moment (bench/clock.py): "overdue" means
    # the same on every day the benchmark runs.
    now = datetime.fromisoformat(args.now)
    pin(now)
    # The demo municipality first (its users, their TOTP devices), so that the demo cases
    # made beside the reports have the demo analysts as their members, as in the demo.
    call_command("demo-setup", now=args.now, stdout=io.StringIO())
    load = load_reports(connection, args.reports, now=now)

    team, other = Team.objects.get(name="OOV Havenwaard"), Team.objects.get(name="OOV Dorpen")
    # The demo's own team lead and analyst of the team, with the cases they belong to (an
    # analyst made after loading would belong to none, and show an inbox no analyst has).
    users = {
        "teamleider": User.objects.get(username="teamleider", role=Role.TEAM_LEAD, team=team),
        "analist": User.objects.get(username="analist", role=Role.ANALYST, team=team),
    }
    cases = {
        name: CaseMember.objects.filter(user=user, removed_at__isnull=True).count()
        for name, user in users.items()
    }
    # The analyst also has some reports of the other team assigned (their scope is an OR).
    assigned = Report.objects.filter(team=other).order_by("-received_at")[:100]
    Report.objects.filter(pk__in=list(assigned.values_list("pk", flat=True))).update(
        assignee=users["analist"]
    )
    analyzed = analyze(connection)
    detail_ids = list(
        # Not a sealed one ('no action'): it is 404 for everyone but its team lead's opening.
        Report.objects.filter(team=team)
        .exclude(status="no_action")
        .order_by("pk")
        .values_list("pk", flat=True)[::997][:50]
    )

    def client_for(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
        return client

    filtered = {"status": "in_triage", "overdue": "on"}
    pages = []
    for username in ("teamleider", "analist"):
        client, user = client_for(users[username]), users[username]
        pages += [
            (
                f"inbox, {username}, default",
                client,
                lambda i: ("/werkruimte/", {}),
                lambda i, user=user: inbox_data(user, {}),
            ),
            (
                f"inbox, {username}, in_triage+overdue",
                client,
                lambda i: ("/werkruimte/", filtered),
                lambda i, user=user: inbox_data(user, filtered),
            ),
            (
                f"report page, {username}",
                client,
                lambda i: (f"/werkruimte/meldingen/{detail_ids[i % len(detail_ids)]}", {}),
                lambda i, user=user: report_data(user, detail_ids[i % len(detail_ids)]),
            ),
        ]

    rows = []
    for name, client, request, data in pages:
        latencies = time_page(client, request, args.requests, name)
        orm = time_data(data, args.requests)
        queries = data_queries(connection, data)
        floor, per_query = sql_floor(connection, queries)
        rows.append((name, p(latencies, 50), p(latencies, 95), p(orm, 50), floor, len(queries)))
        if args.verbose:
            for ms, sql in sorted(per_query, key=lambda item: -item[0])[:4]:
                print(f"    {name}: {ms:8.2f} ms  {sql[:140]}", file=sys.stderr)

    print(
        f"triage pages on {connection.vendor}: {Report.objects.count()} reports "
        f"(loaded in {load:.0f} s, analyzed in {analyzed:.0f} s), {args.requests} requests "
        f"per page, test Client, {os.cpu_count()} cores; data and clock at {args.now}"
    )
    for name, user in users.items():
        print(f"  {name}: the demo's {user.username}, member of {cases[name]:,} cases")
    print(
        f"  {'page':38} {'p50 ms':>7} {'p95 ms':>7} {'ORM ms':>7} {'floor ms':>8} "
        f"{'ORM/floor':>9} {'queries':>7}  goal"
    )
    for name, p50, p95, orm_p50, floor, n in rows:
        ratio = orm_p50 / floor if floor else float("inf")
        met = "met" if p95 < GOAL_P95_MS and ratio <= GOAL_RATIO else "NOT met"
        print(
            f"  {name:38} {p50:7.1f} {p95:7.1f} {orm_p50:7.1f} {floor:8.1f} {ratio:8.1f}x "
            f"{n:7}  {met}"
        )
    print(
        f"  goal: page p95 < {GOAL_P95_MS:.0f} ms, and the page's data through the ORM within "
        f"{GOAL_RATIO:.0f}x of the raw-SQL floor.\n"
        "  p50/p95: the whole request (test Client: middleware, session, rendering, the audit "
        "write).\n  ORM: the page's data as its view asks for it (the same services and "
        "querysets, model instances built), without rendering and writes; p50.\n"
        "  floor: the SELECTs of that ORM work, captured, each run raw with cursor.execute + "
        "fetchall (median of 5), summed."
    )


def child_runner(script: str):
    """The `run_child` of a benchmark script: runs `script --child` with production-like
    settings (debug off) on the database and var dir `run_everywhere` gives it."""

    def run_child(args, database_url: str, var: Path) -> int:
        return _run_child(script, args, database_url, var)

    return run_child


def _run_child(script: str, args, database_url: str, var: Path) -> int:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        BAKEN_VAR_DIR=str(var),
        BAKEN_DEBUG="off",
        BAKEN_ALLOWED_HOSTS="testserver,127.0.0.1",
        DJANGO_SETTINGS_MODULE="baken.settings.test",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    command = [sys.executable, script, "--child", "--reports", str(args.reports)]
    command += ["--requests", str(args.requests)] + (["--verbose"] if args.verbose else [])
    if getattr(args, "now", None):
        command += ["--now", args.now]
    return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode


run_child = child_runner(__file__)


def run_everywhere(args, run_child) -> int:
    """Run the measuring child on `args.database_url` (kept, with one var dir for its data
    key across runs), or else on a fresh database of each of `args.databases`, dropped
    afterwards. Returns non-zero when a child failed."""
    if args.database_url:
        var = Path(tempfile.gettempdir()) / "baken-bench-var"
        var.mkdir(exist_ok=True)
        return run_child(args, args.database_url, var)
    failed = 0
    for vendor in args.databases.split(","):
        var = Path(tempfile.mkdtemp(prefix="baken-bench-"))
        if vendor == "sqlite":
            failed |= run_child(args, f"sqlite:///{var / 'bench.sqlite3'}", var)
            shutil.rmtree(var, ignore_errors=True)
            continue
        import psycopg

        name = f"baken_bench_{os.getpid()}"
        admin = ADMIN_URL.replace("postgres://", "postgresql://", 1)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            failed |= run_child(args, admin.rsplit("/", 1)[0] + f"/{name}", var)
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(var, ignore_errors=True)
    return failed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--database-url", help="use this database (kept) instead of fresh ones, e.g. to rerun"
    )
    parser.add_argument("--verbose", action="store_true", help="show each page's slowest SQL")
    parser.add_argument(
        "--now", default=NOW, help="the fixed moment the data is dated to and the clock says"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args)
        return

    sys.exit(run_everywhere(args, run_child))


if __name__ == "__main__":
    main()
