"""Latency of the report page's cases and related-reports panels, over HTTP, production settings.

    .venv/bin/python bench/panels.py --database-url URL [--code DIR] [--requests R] [--verbose]

The database is one `bench/triage.py --database-url URL --reports N` loaded (N demo reports,
team "OOV Havenwaard", its bench team lead and analyst); this script adds nothing to it but
the analyst's case memberships (below) and sessions. It starts gunicorn (2 sync workers) on
127.0.0.1 with Baken's production settings (`baken.settings`, BAKEN_DEBUG=off; the SSL
redirect off, as behind a TLS proxy) from the checkout `--code` (default: this one, so that an
older commit in a `git worktree` is measured with this script), and requests, as a browser
does, for each user and report: the report page, then with its view token (one read per page
view) the panels htmx loads:

- the cases panel (`cases:report_panel`) of R reports of the team in further analysis, where
  a team lead and an analyst may add the report to a running case;
- the related-reports panel (`reports:related`) of R reports of the team (every 997th, as
  bench/triage.py's report page);
- where the code has it (`cases:join`, GET with htmx), the case search of that form: by a
  word of a case title and by a case number.

Users: the team lead (every open case of the team is hers to add to) and the analyst, a
member of 30 open cases of the team (added here once, by the team lead) and assigned 100
reports of another team (bench/triage.py). Each panel's p50/p95 over R requests (3 warm-up
requests first), one client, keep-alive. Floors: `GET /healthz` on the same server (the
HTTP round trip), and the panel's SELECTs run raw (captured from one request through Django's
test Client in a process with the same settings, each run with cursor.execute + fetchall,
median of 5, summed). Goal: p95 < 100 ms.
"""

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from serving import wait_for_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GOAL_P95_MS = 100.0
TEAM, OTHER_TEAM = "OOV Havenwaard", "OOV Dorpen"
ANALYST_CASES = 30
SECRET_KEY = "bench-panels-not-a-secret-" + "x" * 40


def p(latencies: list[float], q: int) -> float:
    return statistics.quantiles(latencies, n=100, method="inclusive")[q - 1] * 1000


# --- in the setup child: Django on the measured code's production settings -----------------


def setup(args) -> None:
    """Sessions for the two bench users, the reports to request, the analyst's memberships,
    and each panel's raw-SQL floor; printed as JSON."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from baken.accounts.models import Team, User
    from baken.cases.models import Case, CaseMember
    from baken.reports.models import Report

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    team = Team.objects.get(name=TEAM)
    lead, analyst = (User.objects.get(username=f"bench-{n}") for n in ("teamleider", "analist"))
    open_cases = Case.objects.filter(team=team, closed_at__isnull=True).order_by("pk")
    if not CaseMember.objects.filter(user=analyst).exists():
        step = max(open_cases.count() // ANALYST_CASES, 1)
        chosen = list(open_cases.values_list("pk", flat=True)[::step][:ANALYST_CASES])
        CaseMember.objects.bulk_create(
            CaseMember(
                case_id=pk,
                case_team=team,  # the open cases chosen are all of `team`
                user=analyst,
                added_by=lead,
                added_at=timezone.now(),
                reason="Bench.",
            )
            for pk in chosen
        )
    in_analysis = Report.objects.filter(team=team, status="in_analysis", merged_into=None)
    cases_ids = list(in_analysis.order_by("pk").values_list("pk", flat=True)[::397][:50])
    related_ids = list(
        # Not a sealed one ('no action'): it is 404 for everyone but its team lead's opening.
        Report.objects.filter(team=team)
        .exclude(status="no_action")
        .order_by("pk")
        .values_list("pk", flat=True)[::997][:50]
    )
    titled = open_cases.order_by("-opened_at").values_list("title", "reference")[500]
    out = {
        "reports": Report.objects.count(),
        "open_cases": open_cases.count(),
        "analyst_cases": CaseMember.objects.filter(user=analyst, removed_at=None).count(),
        "cases_ids": cases_ids,
        "related_ids": related_ids,
        "search": {"title": titled[0].split()[-1], "number": titled[1]},
        "sessions": {},
        "floors": {},
    }
    for name, user in (("teamleider", lead), ("analist", analyst)):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
        out["sessions"][name] = session.session_key
        for panel, url in (
            ("cases", f"/werkruimte/casussen/bij-melding/{cases_ids[0]}"),
            ("related", f"/werkruimte/meldingen/{related_ids[0]}/gerelateerd"),
        ):
            with CaptureQueriesContext(connection) as captured:
                status = client.get(url, HTTP_HX_REQUEST="true").status_code
            selects = [q["sql"] for q in captured if q["sql"].lstrip("( ").startswith("SELECT")]
            total = 0.0
            for sql in selects:
                runs = []
                for _ in range(6):
                    with connection.cursor() as cursor:
                        start = time.perf_counter()
                        cursor.execute(sql)
                        cursor.fetchall()
                        runs.append(time.perf_counter() - start)
                total += statistics.median(runs[1:]) * 1000
            out["floors"][f"{panel}, {name}"] = {
                "status": status,
                "queries": len(captured),
                "sql_ms": total,
            }
    print(json.dumps(out))


# --- in the parent: gunicorn and the requests ---------------------------------------------


def environment(args, var: Path) -> dict:
    code = Path(args.code).resolve()
    return dict(
        os.environ,
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="baken.settings",
        BAKEN_DEBUG="off",
        BAKEN_SSL_REDIRECT="off",
        BAKEN_ALLOWED_HOSTS="127.0.0.1",
        BAKEN_SECRET_KEY=SECRET_KEY,
        BAKEN_VAR_DIR=str(var),
        BAKEN_STATIC_ROOT=str(var / f"static-{code.name}"),
        BAKEN_LOG_LEVEL="WARNING",
        BAKEN_REQUEST_LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join([str(code / "src"), str(code)]),
    )


class Browser:
    """One keep-alive connection with the user's session cookie."""

    def __init__(self, port: int, session: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookie = f"baken_session={session}"

    def get(self, path: str, *, htmx: bool = False) -> tuple[float, int, str]:
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1"}
        if htmx:
            headers["HX-Request"] = "true"
        start = time.perf_counter()
        self.connection.request("GET", path, headers=headers)
        response = self.connection.getresponse()
        body = response.read().decode()
        return time.perf_counter() - start, response.status, body


def panel_urls(page: str) -> dict[str, str]:
    urls = {}
    for url in re.findall(r'hx-get="([^"]+)" hx-trigger="load"', page):
        url = url.replace("&amp;", "&")
        if "/casussen/bij-melding/" in url:
            urls["cases"] = url
        elif "/gerelateerd" in url:
            urls["related"] = url
    return urls


def measure(port: int, info: dict, requests: int) -> list[tuple[str, list[float], int]]:
    rows = []
    for name in ("teamleider", "analist"):
        browser = Browser(port, info["sessions"][name])
        for panel, ids in (("cases", info["cases_ids"]), ("related", info["related_ids"])):
            latencies: list[float] = []
            for i in range(requests + 3):
                pk = ids[i % len(ids)]
                _t, status, page = browser.get(f"/werkruimte/meldingen/{pk}")
                assert status == 200, (name, pk, status)
                url = panel_urls(page)[panel]
                elapsed, status, _body = browser.get(url, htmx=True)
                assert status == 200, (name, url, status)
                if i >= 3:
                    latencies.append(elapsed)
            rows.append((f"{panel} panel, {name}", latencies, 200))
        # The case search of the join form, where the code has it (GET cases:join, htmx).
        pk = info["cases_ids"][0]
        _t, _s, page = browser.get(f"/werkruimte/meldingen/{pk}")
        token = panel_urls(page)["cases"].rsplit("view=", 1)[-1]
        for kind, query in info["search"].items():
            path = f"/werkruimte/casussen/uit-melding/{pk}/toevoegen?zoek={query}&view={token}"
            if browser.get(path, htmx=True)[1] != 200:
                continue  # the code before the search
            latencies = [browser.get(path, htmx=True)[0] for _ in range(requests + 3)][3:]
            rows.append((f"case search by {kind}, {name}", latencies, 200))
    return rows


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="a database bench/triage.py loaded")
    parser.add_argument("--code", default=str(ROOT), help="the checkout to serve (a worktree)")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--var", default=str(Path(tempfile.gettempdir()) / "baken-bench-panels"))
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup(args)
        return

    var = Path(args.var)
    var.mkdir(exist_ok=True)
    env = environment(args, var)
    code = Path(args.code).resolve()
    if not (var / "data.key").exists():
        subprocess.run([BIN / "baken", "create-data-key", var / "data.key"], env=env, check=True)
    if not Path(env["BAKEN_STATIC_ROOT"]).exists():
        subprocess.run(
            [BIN / "python", "-m", "django", "collectstatic", "--noinput", "-v0"],
            env=env,
            cwd=code,
            check=True,
        )
    command = [sys.executable, __file__, "--setup", "--database-url", args.database_url]
    info = json.loads(
        subprocess.run(command, env=env, cwd=code, check=True, capture_output=True).stdout
    )
    port = free_port()
    server = subprocess.Popen(
        [BIN / "gunicorn", "baken.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--log-level", "warning", "--no-control-socket"],
        env=env,
        cwd=code,
    )
    try:
        wait_for_port(port)
        probe = Browser(port, "")
        for _ in range(3):
            probe.get("/healthz")
        healthz = [probe.get("/healthz")[0] for _ in range(args.requests)]
        rows = measure(port, info, args.requests)
    finally:
        server.terminate()
        server.wait()
    head = subprocess.run(
        ["git", "-C", str(code), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(
        f"report page panels over HTTP, code {code} ({head}), production settings, gunicorn 2 "
        f"workers: {info['reports']} reports, {info['open_cases']} open cases of {TEAM}, the "
        f"analyst a member of {info['analyst_cases']}; {args.requests} requests each, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    print(f"  {'request':40} {'p50 ms':>7} {'p95 ms':>7} {'SQL floor ms':>12} {'queries':>7}  goal")
    print(f"  {'GET /healthz (HTTP floor)':40} {p(healthz, 50):7.1f} {p(healthz, 95):7.1f}")
    for name, latencies, _status in rows:
        floor = info["floors"].get(name.replace(" panel", ""), {})
        sql = f"{floor['sql_ms']:12.1f} {floor['queries']:7}" if floor else f"{'':12} {'':7}"
        met = "met" if p(latencies, 95) < GOAL_P95_MS else "NOT met"
        print(f"  {name:40} {p(latencies, 50):7.1f} {p(latencies, 95):7.1f} {sql}  {met}")
    print(
        "  SQL floor: the panel's SELECTs of one request (the first report), run raw and summed; "
        "queries: all of that request's, the session's and the audit's included."
    )


if __name__ == "__main__":
    main()
