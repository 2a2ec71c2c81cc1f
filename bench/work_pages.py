"""The work pages as users meet them: gunicorn with production settings on PostgreSQL, over
HTTP, every role that uses a page, logged-in sessions, a bounded load (issue 18).

    .venv/bin/python bench/work_pages.py [--reports N] [--database-url URL] [--requests R]
        [--clients C] [--workers W] [--now MOMENT] [--seed S] [--only TEXT] [--verbose]

The database: --database-url (kept, grown to N reports if it holds fewer), or else a fresh
PostgreSQL database baken_bench_wp_<pid> on DATABASE_ADMIN_URL, dropped afterwards. Its var
dir (data key, secret key, static files) is $TMPDIR/baken-work-pages/<database>, kept with it.
Loading is the product's own CLI with production settings (BAKEN_DEBUG=off): `baken migrate`,
`baken demo-setup --now MOMENT` (the demo municipality: its users, their TOTP devices, 300
reports), `baken areas import` (the demo areas), `baken demo-data --reports N-… --seed S
--photos 0 --now MOMENT`, then the figures' rollup built (what the worker does after a bulk
load) and VACUUM ANALYZE. MOMENT (default 2026-12-01T12:00:00+01:00) is also the server's
clock: gunicorn runs with `-c bench/clock.py` and BAKEN_BENCH_NOW=MOMENT, so "overdue" and
"this week" mean the same on every day the benchmark runs (the clock starts at MOMENT and runs
on at the real pace).

The server: `gunicorn baken.wsgi` with W workers (default 4) on 127.0.0.1, settings
bench.settings (baken.settings, the production settings, plus the route /bench/bare),
BAKEN_DEBUG=off, behind a "TLS proxy" (X-Forwarded-Proto: https). The users: the demo's own
(analist and analist-dorpen with the demo cases they belong to, regisseur, teamleider, intake,
management, privacy); each gets one session made with Django's session machinery (logged in,
second factor verified, as tests/conftest.py verified_client), whose cookie the client sends.

The load: an asyncio client (httpx) with C connections (default 4) sends R requests per page
(default 40, after 2 warm-up requests), spread over the page's objects; p50/p95 of the whole
request as the client sees it. Beside it the floors: the bare view on the same server (the
least a request costs), and the page's SQL floor: its SELECTs captured from one request of the
same user in this process (Django's test client, same settings and database), each run raw
with cursor.execute + fetchall (median of 5), summed. Goal per page: p95 < 100 ms, and p50
within 2x of the SQL floor; the table says MET or MISSED for each. A last column reads the
second goal against the least a page can cost over HTTP, the bare view's p50 plus its SQL
floor (a page with 2 ms of SQL cannot be within 4 ms when the bare request takes 5).
"""

import argparse
import asyncio
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from serving import wait_for_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
NOW = "2026-12-01T12:00:00+01:00"
GOAL_P95_MS, GOAL_RATIO = 100.0, 2.0
USERS = {
    "analyst": "analist",
    "analyst (Dorpen)": "analist-dorpen",
    "case handler": "regisseur",
    "team lead": "teamleider",
    "intake": "intake",
    "management": "management",
    "privacy officer": "privacy",
}


@dataclass
class Page:
    name: str
    role: str
    paths: list[str]  # the requests cycle through these (one per object)
    results: dict = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def quantile(latencies: list[float], q: int) -> float:
    return statistics.quantiles(latencies, n=100, method="inclusive")[q - 1] * 1000


def environment(database_url: str, var: Path, now: str) -> dict:
    """Production settings (debug off), the var dir of this database, the bench's clock."""
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        BAKEN_VAR_DIR=str(var),
        BAKEN_DATA_KEY_FILE=str(var / "data.key"),
        BAKEN_DEBUG="off",
        BAKEN_ALLOWED_HOSTS="127.0.0.1,testserver",
        BAKEN_BEHIND_TLS_PROXY="on",
        BAKEN_SITE_URL="https://127.0.0.1",
        BAKEN_BENCH_NOW=now,
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH")])
        ),
    )


def baken(env: dict, *args: str, quiet: bool = True) -> str:
    # `baken ARGS` with the clock pinned (BAKEN_BENCH_NOW): what demo-setup makes through the
    # product's services is dated as the rest of the demo data.
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "clock.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else None,
        text=True,
    )
    return result.stdout


def load(args, env: dict) -> tuple[int, float | None]:
    """Bring the database to N reports with the product's CLI; (reports, seconds loading)."""
    var = Path(env["BAKEN_VAR_DIR"])
    if not (var / "data.key").exists():
        baken(env, "create-data-key", str(var / "data.key"))
    baken(env, "migrate", "-v0")
    count = "from baken.reports.models import Report; print(Report.objects.count())"
    have = int(baken(env, "shell", "-v0", "-c", count))
    started = time.perf_counter()
    loaded = False
    if have == 0:
        baken(env, "demo-setup", "--now", args.now)
        areas = ROOT / "src" / "baken" / "places" / "data" / "demo-areas.geojson"
        baken(env, "areas", "import", str(areas))
        have = int(baken(env, "shell", "-v0", "-c", count))
        loaded = True
    if have < args.reports:
        print(f"loading {args.reports - have} demo reports (seed {args.seed}) …", file=sys.stderr)
        baken(
            env,
            "demo-data",
            "--reports",
            str(args.reports - have),
            "--seed",
            str(args.seed),
            "--photos",
            "0",
            "--now",
            args.now,
            quiet=False,
        )
        loaded = True
    if not (var / "static" / "staticfiles.json").exists():
        baken(env, "collectstatic", "--noinput", "-v0")
    return int(baken(env, "shell", "-v0", "-c", count)), (
        time.perf_counter() - started if loaded else None
    )


def setup_django(env: dict, loaded: bool) -> dict:
    """Django in this process on the same settings and database, the clock pinned; after a
    load, the rollup built and the statistics fresh. Returns facts for the header."""
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from django.db import connection

    from baken.insights import figures_rollup
    from bench.clock import pin

    pin(datetime.fromisoformat(env["BAKEN_BENCH_NOW"]))
    facts = {}
    # What the worker does after a bulk load (the figures' rollup, ADR 0014); on a kept
    # database only the weeks that changed, if any.
    start = time.perf_counter()
    figures_rollup.rollup_refresh()
    facts["rollup"] = time.perf_counter() - start
    if loaded:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        facts["analyze"] = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        facts["postgres"] = cursor.fetchone()[0].split()[0]
    return facts


def sessions() -> tuple[dict, dict]:
    """A verified session per demo user: {role: test Client}, {role: facts about the user}."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from baken.accounts.models import User
    from baken.cases.models import CaseMember

    clients, facts = {}, {}
    name = settings.SESSION_COOKIE_NAME
    for role, username in USERS.items():
        user = User.objects.get(username=username)
        # A page that fails is counted in its row (non-200), not raised here.
        client = Client(headers={"X-Forwarded-Proto": "https"}, raise_request_exception=False)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        assert device, f"{username} has no second factor"
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session["baken.login_at"] = time.time()
        session.save()
        clients[role] = client
        facts[role] = {
            "user": user,
            "username": username,
            "cookie": f"{name}={client.cookies[name].value}",
            "cases": CaseMember.objects.filter(user=user, removed_at__isnull=True).count(),
            "team": user.team.name if user.team else "—",
        }
    return clients, facts


def pages(facts: dict) -> list[Page]:
    """Every page a role uses, with the filters people use, and the objects to ask for."""
    from baken.accounts.models import Team
    from baken.subjects.models import Subject

    team = Team.objects.get(name="OOV Havenwaard")
    analyst = facts["analyst"]["user"]
    found: list[Page] = []
    filters = {
        "default": "",
        "in triage + overdue": "?status=in_triage&overdue=on",
        "category drugs": "?category=drugs",
        "area havenwaard": "?area=havenwaard",
        "postcode 1781": "?area=1781",
    }
    for role in ("analyst", "analyst (Dorpen)", "case handler", "team lead", "intake"):
        for label, query in filters.items():
            found.append(Page(f"inbox, {role}, {label}", role, [f"/werkruimte/{query}"]))
    for role in ("analyst", "team lead"):
        for label in ("default", "in triage + overdue"):
            found.append(
                Page(
                    f"GET /api/v1/reports, {role}, {label}",
                    role,
                    ["/api/v1/reports" + filters[label]],
                )
            )
    for role in ("analyst", "team lead"):
        found.append(
            Page(f"search 'Jansen', {role}", role, ["/werkruimte/betrokkenen/zoeken?q=Jansen"])
        )
    found += _report_pages(team)
    found += _case_pages(analyst)
    found.append(Page("case list, analyst", "analyst", ["/werkruimte/casussen/"]))
    subjects = list(Subject.objects.order_by("pk").values_list("pk", flat=True)[:10])
    for role in ("analyst", "team lead"):
        if subjects:
            found.append(
                Page(
                    f"subject page, {role}",
                    role,
                    [f"/werkruimte/betrokkenen/{pk}" for pk in subjects],
                )
            )
    for role in ("analyst", "team lead"):
        found.append(Page(f"dashboard, {role}", role, ["/werkruimte/inzicht/"]))
        found.append(Page(f"hotspots, {role}", role, ["/werkruimte/inzicht/brandpunten"]))
    found.append(Page("management view", "management", ["/werkruimte/inzicht/management"]))
    for role in ("management", "team lead"):
        found.append(Page(f"weekly overview, {role}", role, ["/werkruimte/inzicht/weekoverzicht/"]))
    found.append(Page("home, privacy officer", "privacy officer", ["/"]))
    found.append(
        Page(
            "source research queue, privacy officer",
            "privacy officer",
            ["/werkruimte/casussen/bronnenonderzoek"],
        )
    )
    found.append(Page("audit log, privacy officer", "privacy officer", ["/auditlog"]))
    found.append(Page("retention overview, privacy officer", "privacy officer", ["/bewaren/"]))
    return found


def _report_pages(team) -> list[Page]:
    """The report page for reports in each state (the team's newest 200, every tenth)."""
    from baken.reports.models import Report
    from baken.reports.workflow import Status

    found = []
    for status in Status:
        ids = list(
            Report.objects.filter(team=team, status=status)
            .order_by("-received_at")
            .values_list("pk", flat=True)[:200]
        )[::10]
        if not ids:
            continue
        # A sealed report ('no action') is 404 for everyone but its team lead's opening.
        roles = ("team lead",) if status == Status.NO_ACTION else ("analyst", "team lead")
        for role in roles:
            found.append(
                Page(
                    f"report page, {status.value}, {role}",
                    role,
                    [f"/werkruimte/meldingen/{pk}" for pk in ids],
                )
            )
    return found


def _case_pages(analyst) -> list[Page]:
    """The case page for open and closed cases the analyst belongs to."""
    from baken.cases.models import Case, CaseMember

    found = []
    mine = CaseMember.objects.filter(user=analyst, removed_at__isnull=True).values("case")
    for label, cases in (
        ("open", Case.objects.filter(pk__in=mine, closed_at__isnull=True)),
        ("closed", Case.objects.filter(pk__in=mine, closed_at__isnull=False)),
    ):
        ids = list(cases.order_by("-opened_at").values_list("pk", flat=True)[:10])
        if ids:
            for role in ("analyst", "team lead"):
                found.append(
                    Page(
                        f"case page, {label}, {role}",
                        role,
                        [f"/werkruimte/casussen/{pk}" for pk in ids],
                    )
                )
    return found


async def hammer(base: str, paths: list[str], cookie: str, total: int, clients: int):
    """R requests over C keep-alive connections; (latencies, status codes not 200)."""
    import httpx

    headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = cookie
    latencies: list[float] = []
    errors: dict[int | str, int] = {}
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=120
    ) as client:

        async def worker() -> None:
            for i in counter:
                start = time.perf_counter()
                try:
                    response = await client.get(paths[i % len(paths)])
                except httpx.HTTPError as exc:  # counted in the row, not fatal
                    status: int | str = type(exc).__name__
                else:
                    status = response.status_code
                latencies.append(time.perf_counter() - start)
                if status != 200:
                    errors[status] = errors.get(status, 0) + 1

        await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, errors


def sql_floor(client, path: str) -> tuple[float, int]:
    """The page's SELECTs from one request, each run raw (median of 5), summed; and the
    number of queries of the request."""
    from django.db import connection

    from bench.triage import sql_floor as raw_floor

    queries: list = []

    def record(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(path, secure=True)
    floor, _per_query = raw_floor(connection, queries)
    return floor, len(queries)


def serve(env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            str(ROOT / "bench" / "clock.py"),
            "baken.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            # A worker's first request imports the views of every app; on a busy machine that
            # took longer than gunicorn's default 30 s, and the worker was killed mid-import.
            "--timeout",
            "600",
        ],
        env=env,
        cwd=ROOT,
    )
    wait_for_port(port)
    return server, f"http://127.0.0.1:{port}"


def measure(args, env: dict, loaded_in: float | None, reports: int) -> None:
    facts = setup_django(env, loaded_in is not None)
    clients, users = sessions()
    wanted = [part.strip().lower() for part in args.only.split("|")]
    todo = [page for page in pages(users) if any(w in page.name.lower() for w in wanted)]
    load_before = os.getloadavg()
    server, base = serve(env, args.workers)
    try:
        # Warm-up: every worker imports the product's views with its first requests.
        asyncio.run(hammer(base, ["/bench/bare", "/werkruimte/"], "", 50, args.clients))
        bare, _ = asyncio.run(hammer(base, ["/bench/bare"], "", 400, args.clients))
        for page in todo:
            cookie = users[page.role]["cookie"]
            asyncio.run(hammer(base, page.paths, cookie, 2, 1))  # warm-up
            start = time.perf_counter()
            latencies, errors = asyncio.run(
                hammer(base, page.paths, cookie, args.requests, args.clients)
            )
            elapsed = time.perf_counter() - start
            floor, queries = sql_floor(clients[page.role], page.paths[0])
            page.results = {
                "p50": quantile(latencies, 50),
                "p95": quantile(latencies, 95),
                "rate": args.requests / elapsed,
                "floor": floor,
                "queries": queries,
                "errors": errors,
            }
            if args.verbose:
                print(f"  {page.name}: {page.results}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait()
    load_after = os.getloadavg()
    report(args, facts, users, todo, bare, reports, loaded_in, load_before, load_after)


def report(args, facts, users, todo, bare, reports, loaded_in, load_before, load_after) -> None:
    from django.db import connection

    print(
        f"work pages as users meet them: {reports:,} reports on PostgreSQL {facts['postgres']} "
        f"(database {connection.settings_dict['NAME']}"
        + (f", loaded in {loaded_in:.0f} s" if loaded_in is not None else ", kept")
        + (f", rollup built in {facts['rollup']:.0f} s" if "rollup" in facts else "")
        + ")"
    )
    print(
        f"  date {datetime.now().astimezone().isoformat(timespec='seconds')}, clock pinned to "
        f"{args.now}; machine {platform.node()}: {os.cpu_count()} cores (nproc), "
        f"{platform.python_implementation()} {platform.python_version()}; load average "
        f"{' '.join(f'{x:.1f}' for x in load_before)} before, "
        f"{' '.join(f'{x:.1f}' for x in load_after)} after"
    )
    print(f"  command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(
        f"  gunicorn {args.workers} workers, production settings (BAKEN_DEBUG=off), HTTP, "
        f"{args.clients} clients, {args.requests} requests per page"
    )
    for role, user in users.items():
        print(f"  {role}: {user['username']}, {user['team']}, member of {user['cases']:,} cases")
    print(
        f"  floor: bare view on the same server p50 {quantile(bare, 50):.1f} ms, "
        f"p95 {quantile(bare, 95):.1f} ms ({len(bare)} requests)"
    )
    print()
    print(
        f"| page | p50 ms | p95 ms | req/s | SQL floor ms | p50/floor | queries | non-200 "
        f"| p95 < {GOAL_P95_MS:.0f} ms | within {GOAL_RATIO:.0f}x floor "
        f"| within {GOAL_RATIO:.0f}x (bare + floor) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    missed = met_fast = met_bare = 0
    bare_p50 = quantile(bare, 50)
    for page in todo:
        r = page.results
        ratio = r["p50"] / r["floor"] if r["floor"] else float("inf")
        fast = r["p95"] < GOAL_P95_MS
        near = ratio <= GOAL_RATIO
        missed += not (fast and near)
        met_fast += fast
        met_bare += fast and r["p50"] <= GOAL_RATIO * (bare_p50 + r["floor"])
        errors = ", ".join(f"{n}x {code}" for code, n in r["errors"].items()) or "0"
        print(
            f"| {page.name} | {r['p50']:.1f} | {r['p95']:.1f} | {r['rate']:.1f} | "
            f"{r['floor']:.1f} | {ratio:.1f}x | {r['queries']} | {errors} | "
            f"{'MET' if fast else 'MISSED'} | {'MET' if near else 'MISSED'} | "
            f"{'MET' if r['p50'] <= GOAL_RATIO * (bare_p50 + r['floor']) else 'MISSED'} |"
        )
    print(
        f"\n  {len(todo) - missed} of {len(todo)} pages meet both goals (p95 < "
        f"{GOAL_P95_MS:.0f} ms; p50 within {GOAL_RATIO:.0f}x of the page's SQL floor: its "
        "SELECTs from one request, run raw, summed)."
    )
    # The second reading of "within 2x of the floor": against what the page cannot go below
    # over HTTP, the bare request on the same server plus the page's SQL. A page whose SQL
    # takes 1-6 ms cannot be within 2x of its SQL alone: the bare request takes 4-5 ms.
    print(
        f"  {met_fast} of {len(todo)} pages meet p95 < {GOAL_P95_MS:.0f} ms; {met_bare} meet "
        f"it and p50 within {GOAL_RATIO:.0f}x of (bare view p50 + SQL floor)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--database-url", help="a PostgreSQL database to use and keep")
    parser.add_argument("--requests", type=int, default=40, help="requests per page")
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--now", default=NOW, help="the fixed moment of the data and server")
    parser.add_argument("--seed", type=int, default=2, help="demo-data's seed for the bulk")
    parser.add_argument(
        "--only",
        default="",
        help="only the pages whose name holds this (or one of these, separated by |)",
    )
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    datetime.fromisoformat(args.now)  # refuse a moment that cannot be read, before loading

    import psycopg

    admin = ADMIN_URL.replace("postgres://", "postgresql://", 1)
    fresh = None
    url = args.database_url
    if not url:
        fresh = f"baken_bench_wp_{os.getpid()}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{fresh}"')
        url = admin.rsplit("/", 1)[0] + f"/{fresh}"
    name = url.rsplit("/", 1)[1].split("?")[0]
    var = Path(tempfile.gettempdir()) / "baken-work-pages" / name
    var.mkdir(parents=True, exist_ok=True)
    env = environment(url, var, args.now)
    try:
        reports, loaded_in = load(args, env)
        measure(args, env, loaded_in, reports)
    finally:
        if fresh:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
