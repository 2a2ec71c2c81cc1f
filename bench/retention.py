"""The nightly retention run with many due reports, and the inbox while it runs, over HTTP.

    .venv/bin/python bench/retention.py --database-url URL [--reports N] [--due D]
                                        [--requests R] [--max-seconds S] [--no-load]

1. Load: `bench/triage.py --database-url URL --reports N` fills URL (a PostgreSQL database
   that exists; N demo reports, seed 1, no photos; the bench team lead and analyst of "OOV
   Havenwaard"); skipped with --no-load, and a no-op when URL already holds N reports.
2. Make D reports due (default N / 10), once, with SQL on the generated data (the demo has no
   knob for it): D reports chosen by md5 of their id among those that are not merged, have
   no report merged into them and are in no case get status `no_action` and every decision
   of theirs (one 'no action' decision added where they had none) 13 months back; every
   other decision older than 12 months is moved to 6 months back, so that no other report is
   due under the 'no action' or the 'referred/forwarded' rule. Then VACUUM ANALYZE.
3. Each run works on a copy: `CREATE DATABASE <name>_run TEMPLATE <name>` (dropped after),
   so the prepared database can be measured again.
4. gunicorn (2 sync workers, Baken's production settings as bench/panels.py serves them)
   on the copy. Before the run: R rounds of the team lead's default inbox, the analyst's
   default inbox and `GET /healthz` (the HTTP floor), one keep-alive client per user.
5. `baken retention run` as its own process on the copy (every rule in force, as the
   scheduler starts it at night), and the same rounds as long as it runs (at most S seconds;
   then it is stopped with SIGTERM — a run stopped at any point leaves each report destroyed
   or untouched); every 2 s the statement's report lines are counted on a connection of
   its own, which gives the destruction rate.

Printed: the command line; the run's total time, reports destroyed and per second (over
the whole run, and from the first destruction on); p50/p95 of each request before the run
(the floor: the same inbox without the run) and during it. Goal: inbox p95 < 100 ms during
the run.
"""

import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.panels import BIN, ROOT, Browser, environment, free_port, p  # noqa: E402

GOAL_P95_MS = 100.0
TEAM = "OOV Havenwaard"


# --- in child processes: Django on the production settings --------------------------------


def prepare(args) -> None:
    """Make `args.due` reports due under the 'no action' rule (step 2); prints JSON."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from baken.accounts.models import User
    from baken.privacy.models import RetentionRule, RuleKind, RuleState
    from baken.privacy.retention import reports_decided
    from bench.triage import analyze

    now = timezone.now()
    rule = RetentionRule.objects.get(kind=RuleKind.REPORT_NO_ACTION, state=RuleState.IN_FORCE)
    due = reports_decided(rule, now)
    out = {"due_before": due.count(), "changed": False}
    if out["due_before"] != args.due:
        lead = User.objects.get(username="bench-teamleider")
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                """CREATE TEMP TABLE bench_due ON COMMIT DROP AS
                SELECT r.id FROM reports_report r
                WHERE r.merged_into_id IS NULL
                  AND NOT EXISTS (SELECT 1 FROM reports_report m WHERE m.merged_into_id = r.id)
                  AND NOT EXISTS (SELECT 1 FROM cases_casereport c WHERE c.report_id = r.id)
                ORDER BY md5(r.id::text) LIMIT %s""",
                [args.due],
            )
            cursor.execute("CREATE INDEX ON bench_due (id)")
            cursor.execute(
                "UPDATE reports_decision SET at = now() - interval '6 months' "
                "WHERE at < now() - interval '12 months' "
                "AND report_id NOT IN (SELECT id FROM bench_due)"
            )
            cursor.execute(
                "UPDATE reports_report SET status = 'no_action' "
                "WHERE id IN (SELECT id FROM bench_due)"
            )
            cursor.execute(
                """INSERT INTO reports_decision (report_id, kind, recipient, rationale,
                                                 author_id, at)
                SELECT id, 'no_action', '', 'Bench: due for destruction.', %s, now()
                FROM bench_due d
                WHERE NOT EXISTS (SELECT 1 FROM reports_decision x WHERE x.report_id = d.id)""",
                [lead.pk],
            )
            cursor.execute(
                "UPDATE reports_decision SET at = now() - interval '13 months' "
                "WHERE report_id IN (SELECT id FROM bench_due)"
            )
        out["prepare_s"] = time.perf_counter() - start
        out["analyze_s"] = analyze(connection)
        out["changed"] = True
    out["due"] = reports_decided(rule, timezone.now()).count()
    print(json.dumps(out))


def sessions(args) -> None:
    """Sessions for the bench team lead and analyst (verified TOTP, as bench/panels.py)."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from baken.accounts.models import User
    from baken.reports.models import Report

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    out = {"reports": Report.objects.count(), "sessions": {}}
    for name in ("teamleider", "analist"):
        user = User.objects.get(username=f"bench-{name}")
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
        out["sessions"][name] = session.session_key
    print(json.dumps(out))


# --- in the parent ------------------------------------------------------------------------


def child(kind: str, args, env: dict, url: str) -> dict:
    command = [sys.executable, __file__, f"--{kind}", "--database-url", url]
    command += ["--due", str(args.due)]
    done = subprocess.run(
        command, env=dict(env, DATABASE_URL=url), cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"{kind} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def admin(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


def one_round(browsers: dict, out: dict) -> None:
    for name, browser in browsers.items():
        path = "/healthz" if name == "healthz" else "/werkruimte/"
        elapsed, status, _body = browser.get(path)
        assert status == 200, (name, status)
        out.setdefault(name, []).append(elapsed)


def loaded(url: str) -> int:
    """The reports in `url` (0 before the migrations)."""
    with admin(url) as conn:
        if conn.execute("SELECT to_regclass('reports_report')").fetchone()[0] is None:
            return 0
        return conn.execute("SELECT count(*) FROM reports_report").fetchone()[0]


def destroyed_count(conn) -> int:
    return conn.execute(
        "SELECT count(*) FROM privacy_destroyeditem WHERE object_type = 'report'"
    ).fetchone()[0]


def run_with_inbox(browsers: dict, run_env: dict, run_url: str, max_seconds: float):
    """`baken retention run` as its own process; inbox rounds while it runs."""
    during: dict[str, list[float]] = {}
    samples: list[tuple[float, int]] = []
    with admin(run_url) as counter:
        started = time.perf_counter()
        retention = subprocess.Popen(
            [BIN / "baken", "retention", "run"],
            env=run_env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        last_sample = 0.0
        stopped = False
        while retention.poll() is None:
            now = time.perf_counter() - started
            if now > max_seconds:
                retention.send_signal(signal.SIGTERM)
                stopped = True
                break
            one_round(browsers, during)
            if now - last_sample >= 2:
                samples.append((now, destroyed_count(counter)))
                last_sample = now
        output, errors = retention.communicate()
        total = time.perf_counter() - started
        destroyed = destroyed_count(counter)
    return during, (destroyed, total, stopped, retention.returncode, output, errors, samples)


def ready(args, env: dict, base: str) -> None:
    """The database loaded (bench/triage.py), a data key, the static files."""
    var = Path(args.var)
    if not args.no_load and loaded(base) < args.reports:
        load = [sys.executable, str(ROOT / "bench" / "triage.py"), "--databases", "postgresql"]
        load += ["--reports", str(args.reports), "--requests", "3", "--database-url", base]
        # triage.py loads, then measures its pages; only the load matters here.
        subprocess.run(load, cwd=ROOT, check=False)
        if loaded(base) < args.reports:
            sys.exit(f"bench/triage.py did not load {args.reports} reports into {base}")
    if not (var / "data.key").exists():
        subprocess.run([BIN / "baken", "create-data-key", var / "data.key"], env=env, check=True)
    if not Path(env["BAKEN_STATIC_ROOT"]).exists():
        subprocess.run(
            [BIN / "python", "-m", "django", "collectstatic", "--noinput", "-v0"],
            env=env,
            cwd=ROOT,
            check=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database (exists)")
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, help="reports made due (default: a tenth)")
    parser.add_argument("--requests", type=int, default=60, help="rounds before the run")
    parser.add_argument("--max-seconds", type=float, default=1800, help="then stop the run")
    parser.add_argument("--no-load", action="store_true", help="the database is loaded")
    parser.add_argument("--var", default=str(Path(tempfile.gettempdir()) / "baken-bench-retention"))
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sessions", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.due = args.due if args.due is not None else args.reports // 10
    if args.prepare:
        prepare(args)
        return
    if args.sessions:
        sessions(args)
        return

    command_line = shlex.join([".venv/bin/python", "bench/retention.py", *sys.argv[1:]])
    base = args.database_url.rstrip("/")
    name = base.rsplit("/", 1)[1]
    run_url = f"{base}_run"
    run_name = f"{name}_run"
    args.code = str(ROOT)
    var = Path(args.var)
    var.mkdir(exist_ok=True)
    env = environment(args, var)

    ready(args, env, base)
    prepared = child("prepare", args, env, base)
    print(f"prepared: {json.dumps(prepared)}", file=sys.stderr)

    with admin(base.rsplit("/", 1)[0] + "/postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{run_name}" WITH (FORCE)')
        start = time.perf_counter()
        conn.execute(f'CREATE DATABASE "{run_name}" TEMPLATE "{name}"')
        copied = time.perf_counter() - start
    server = None
    try:
        info = child("sessions", args, env, run_url)
        run_env = dict(env, DATABASE_URL=run_url)
        port = free_port()
        server = subprocess.Popen(
            [BIN / "gunicorn", "baken.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2", "--log-level", "warning", "--no-control-socket"],
            env=run_env,
            cwd=ROOT,
        )
        for _ in range(200):
            try:
                Browser(port, "").get("/healthz")
                break
            except OSError:
                time.sleep(0.1)
        browsers = {n: Browser(port, s) for n, s in info["sessions"].items()}
        browsers["healthz"] = Browser(port, "")
        for _ in range(3):
            one_round(browsers, {})
        before: dict[str, list[float]] = {}
        for _ in range(args.requests):
            one_round(browsers, before)
        load_before = os.getloadavg()[0]

        during, run = run_with_inbox(browsers, run_env, run_url, args.max_seconds)
        load_during = os.getloadavg()[0]
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        with admin(base.rsplit("/", 1)[0] + "/postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{run_name}" WITH (FORCE)')

    print_figures(
        command_line=command_line,
        info=info,
        prepared=prepared,
        name=name,
        copied=copied,
        loads=(load_before, load_during),
        run=run,
        before=before,
        during=during,
    )


def print_figures(*, command_line, info, prepared, name, copied, loads, run, before, during):
    load_before, load_during = loads
    destroyed, total, stopped, returncode, output, errors, samples = run
    first = next((t for t, n in samples if n > 0), None)
    rate_all = destroyed / total if total else 0.0
    rate_from_first = (
        (destroyed - 0) / (total - first) if first is not None and total > first else 0.0
    )
    print(f"command: {command_line}")
    print(
        f"retention run over HTTP load, production settings, gunicorn 2 workers, "
        f"{os.cpu_count()} cores: {info['reports']} reports, {prepared['due']} due under "
        f"'no action' (copy of {name} made in {copied:.0f} s); load before {load_before:.1f}, "
        f"at the end {load_during:.1f}"
    )
    state = "STOPPED after --max-seconds" if stopped else f"exit code {returncode}"
    print(
        f"  the run: {destroyed} reports destroyed in {total:.1f} s ({state}): "
        f"{rate_all:.1f} reports/s over the whole run"
        + (
            f", {rate_from_first:.1f}/s from the first destruction (after {first:.1f} s)"
            if first is not None
            else ""
        )
    )
    if rate_all:
        print(
            f"  at that rate 100,000 reports take {100_000 / rate_all / 3600:.1f} h "
            f"(a night from 02:15 to 07:00 is 4.75 h)"
        )
    if output.strip():
        print("  its output: " + " | ".join(output.strip().splitlines()))
    if errors.strip():
        print("  its errors: " + errors.strip()[-400:])
    print(f"  {'request':36} {'before: n p50 / p95 ms':>26} {'during: n p50 / p95 ms':>26}  goal")
    labels = {
        "teamleider": "inbox, team lead, default",
        "analist": "inbox, analyst, default",
        "healthz": "GET /healthz (HTTP floor)",
    }
    for key, label in labels.items():
        b, d = before.get(key, []), during.get(key, [])
        cells = []
        for lat in (b, d):
            cells.append(
                f"{len(lat):5} {p(lat, 50):7.1f} / {p(lat, 95):7.1f}" if len(lat) >= 2 else "-"
            )
        met = ""
        if key != "healthz" and len(d) >= 2:
            met = "met" if p(d, 95) < GOAL_P95_MS else "NOT met"
        print(f"  {label:36} {cells[0]:>26} {cells[1]:>26}  {met}")
    print(
        "  before: the floor, the same inbox without the run; rounds of team lead inbox, "
        "analyst inbox, /healthz, one keep-alive client each, one after the other."
    )
    every = samples[:: max(len(samples) // 15, 1)]
    print("  progress (s: reports destroyed): " + ", ".join(f"{t:.0f}: {n}" for t, n in every))


if __name__ == "__main__":
    main()
