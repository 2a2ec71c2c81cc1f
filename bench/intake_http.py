"""Intake over HTTP as reporters meet it: `POST /api/v1/reports` on gunicorn with the
production settings (BAKEN_DEBUG=off) on a fresh PostgreSQL database, against a bare view on
the same server, at fixed concurrency for a fixed time; then `baken audit verify`.

    .venv/bin/python bench/intake_http.py [--clients 8,16,32] [--duration 20] [--workers 4]
        [--database-url postgres://postgres@127.0.0.1:5432/baken_intake_bench] [--keep]

The database named by --database-url is dropped and made anew (it must be the bench's own).
The load generator is a small asyncio HTTP/1.1 client (keep-alive, one connection per client,
a closed loop: each client sends its next report when the answer to the last one is in), in
this process; it posts reports in every shape the Meldpunt and the partner channels send:
anonymous and named (with and without e-mail, some allowing contact), an address or a point,
an observed time or period, a department, ticked signs, category questions, zero to three
subjects of every kind. Prints per run reports/s, p50/p95/p99, errors, the CPU seconds per
request of gunicorn and of the PostgreSQL backends (from /proc), and the load average; fails
(exit 1) when any request was not answered 201 or when `baken audit verify` fails.

Goal (issue 18): >= 300 reports/s sustained, p95 < 100 ms at 16 clients.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from serving import wait_for_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/baken_intake_bench"
TICKS = os.sysconf("SC_CLK_TCK")

SETUP = """
from baken.reports.models import Category, Department, DepartmentSize
Department.objects.get_or_create(code="handhaving", defaults=dict(
    name="Handhaving", size=DepartmentSize.SMALL, position=1))
Department.objects.get_or_create(code="burgerzaken", defaults=dict(
    name="Burgerzaken", size=DepartmentSize.LARGE, position=2))
out = {}
for c in Category.objects.filter(is_active=True).prefetch_related("indicators", "questions"):
    out[c.code] = {"signs": [i.pk for i in c.indicators.all()],
                   "questions": [{"code": q.code, "kind": q.kind, "choices": q.choices,
                                  "required": q.required} for q in c.questions.all()]}
print("CATALOGUE=" + __import__("json").dumps(out))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the reports ---------------------------------------------------------------------------

STREETS = ["1781AB", "1234 ab", "3511ax", "9711 LM", "2511CV"]
PLATES = ["ab123c", "12-ABC-3", "XX-99-YY", "1-kbb-23"]


def _answers(questions: list, everything: bool) -> dict:
    """Answers to the required questions, and to every question when `everything`."""
    answers: dict = {}
    for q in questions:
        if not (everything or q["required"]):
            continue
        if q["kind"] == "choice":
            answers[q["code"]] = q["choices"][0]
        elif q["kind"] == "yes_no":
            answers[q["code"]] = True
        else:
            answers[q["code"]] = "Ongeveer drie keer per week, vooral 's avonds."
    return answers


def report(i: int, catalogue: dict, rng: random.Random) -> dict:  # noqa: C901
    """One report of the i-th shape (the shapes rotate, the details vary)."""
    code = rng.choice(sorted(catalogue))
    shape = i % 6
    body: dict = {
        "category": code,
        "description": f"Melding {i}: al weken 's nachts busjes bij de loods, ramen afgeplakt, "
        "sterke geur. Mensen lopen af en aan met tassen.",
        "reporter": {"anonymous": True},
    }
    answers = _answers(catalogue[code]["questions"], everything=shape in (0, 3))
    if answers:
        body["answers"] = answers
    if shape in (0, 1, 4):
        body["location"] = {
            "address": {"postcode": STREETS[i % 5], "house_number": 1 + i % 180},
            "description": "achter de garage",
        }
    elif shape in (2, 5):
        body["location"] = {"point": {"lat": 52.0 + rng.random(), "lon": 4.5 + rng.random()}}
    if shape in (0, 2, 4):
        body["observed_at"] = {"start": "2026-11-20T22:15:00+01:00"}
        if shape == 4:
            body["observed_at"]["end"] = "2026-11-21T01:30:00+01:00"
    signs = catalogue[code]["signs"]
    if signs and shape in (1, 2, 3, 4):
        body["signs"] = sorted(rng.sample(signs, min(len(signs), 1 + i % 3)))
    subjects = []
    if shape in (0, 3, 5):
        subjects.append({"type": "vehicle", "license_plate": PLATES[i % 4]})
    if shape in (0, 4):
        subjects.append(
            {"type": "person", "name": "J. de Boer", "bsn": "111222333", "birth_date": "1980-04-23"}
        )
    if shape in (1, 3):
        subjects.append({"type": "organisation", "name": "Loods B.V.", "kvk_number": "12345678"})
    if shape == 5:
        subjects.append({"type": "address", "address": {"postcode": "1781AB", "house_number": 7}})
    if subjects:
        body["subjects"] = subjects
    if shape in (1, 3, 5):
        named = {"anonymous": False, "name": "Ilse Handhaving", "phone": "06 12345678"}
        if shape == 3:
            named.update(email="ilse@gemeente.example", may_contact=True)
        if shape == 5:
            named.update(email="ilse@gemeente.example", organisation="Toezicht")
        body["reporter"] = named
    if shape in (0, 1, 2):
        body["reporter"]["department"] = "handhaving" if shape != 1 else "burgerzaken"
    if shape == 2:
        body["idempotency_key"] = f"bench-{os.getpid()}-{i}-{rng.random()}"
    return body


# --- the client ----------------------------------------------------------------------------


async def _client(port, path, bodies, deadline, latencies, errors, counter):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < deadline:
            i = next(counter)
            body = bodies[i % len(bodies)] if bodies else b"{}"
            head = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode()
            start = time.perf_counter()
            writer.write(head + body)
            status_line = await reader.readline()
            length, close = 0, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and value.strip().lower() == "close":
                    close = True
            content = await reader.readexactly(length) if length else b""
            latencies.append(time.perf_counter() - start)
            status = int(status_line.split()[1]) if status_line else 0
            if status != 201:
                errors.append((status, content[:300]))
            if close or not status_line:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    finally:
        writer.close()


async def _load(port, path, bodies, clients, duration):
    latencies: list[float] = []
    errors: list = []
    counter = iter(range(10**9))
    deadline = time.perf_counter() + duration
    start = time.perf_counter()
    await asyncio.gather(
        *(_client(port, path, bodies, deadline, latencies, errors, counter) for _ in range(clients))
    )
    return time.perf_counter() - start, latencies, errors


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


# --- CPU from /proc -----------------------------------------------------------------------


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _backends(env: dict, dbname: str) -> list[int]:
    out = subprocess.run(
        _psql(env, "postgres")
        + ["-tAc", f"select pid from pg_stat_activity where datname = '{dbname}'"],  # noqa: S608,
        capture_output=True,
        text=True,
    ).stdout
    return [int(x) for x in out.split()]


def cpu_snapshot(server_pid: int, env: dict, dbname: str) -> tuple[dict, dict]:
    app = {p: _cpu_of(p) for p in [server_pid, *_children(server_pid)]}
    db = {p: _cpu_of(p) for p in _backends(env, dbname)}
    return app, db


def cpu_used(before: dict, after: dict) -> float:
    return sum(after[p] - before.get(p, 0.0) for p in after)


def _psql(env, dbname):
    url = urlsplit(env["DATABASE_URL"])
    return [
        "psql",
        "-h",
        url.hostname or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
        "-d",
        dbname,
    ]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:  # noqa: C901
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="8,16,32")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--only", choices=["reports", "bare"], default=None)
    parser.add_argument("--keep", action="store_true", help="leave the database for a look")
    parser.add_argument(
        "--reuse", action="store_true", help="a kept database as it is (not fresh): for trying"
    )
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",")]

    url = urlsplit(args.database_url)
    dbname = url.path.lstrip("/")
    if not dbname.startswith("baken_") or "bench" not in dbname:
        sys.exit("--database-url must name the bench's own database (baken_…bench…): it is dropped")
    var = Path(tempfile.mkdtemp(prefix="baken-intake-http-"))
    env = dict(
        os.environ,
        BAKEN_VAR_DIR=str(var),
        BAKEN_DEBUG="off",
        BAKEN_ALLOWED_HOSTS="127.0.0.1,localhost",
        BAKEN_DATA_KEY_FILE=str(var / "data.key"),
        BAKEN_RATELIMIT_ENABLE="off",
        BAKEN_BEHIND_TLS_PROXY="on",  # as behind the TLS proxy: X-Forwarded-Proto https
        BAKEN_EMAIL_BACKEND="file",
        BAKEN_LOG_LEVEL="WARNING",
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        # This checkout's code first (the venv's editable install may point at another).
        PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{ROOT}",
    )
    kept_key = Path(tempfile.gettempdir()) / f"{dbname}.data.key"
    if args.reuse:
        shutil.copy(kept_key, var / "data.key")
    else:
        subprocess.run(
            _psql(env, "postgres") + ["-qc", f"DROP DATABASE IF EXISTS {dbname}"], check=True
        )
        subprocess.run(_psql(env, "postgres") + ["-qc", f"CREATE DATABASE {dbname}"], check=True)
        subprocess.run(
            [BIN / "baken", "create-data-key", var / "data.key"],
            env=env,
            check=True,
            capture_output=True,
        )
        shutil.copy(var / "data.key", kept_key)
        subprocess.run([BIN / "baken", "migrate", "-v0"], env=env, check=True)
    subprocess.run([BIN / "baken", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    setup = subprocess.run(
        [BIN / "baken", "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True
    ).stdout
    catalogue = json.loads(setup.split("CATALOGUE=", 1)[1])
    rng = random.Random(18)
    bodies = [json.dumps(report(i, catalogue, rng)).encode() for i in range(6000)]

    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "baken.wsgi",
        "--config",
        str(ROOT / "deploy/gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
    ]
    log = (var / "gunicorn.log").open("w")  # its log, a line per request as in production
    server = subprocess.Popen(command, env=env, cwd=ROOT, stderr=log)
    failed = False
    rows = []
    try:
        wait_for_port(port)
        asyncio.run(_load(port, "/bench/bare", [], 8, args.warmup))
        _, _, warm_errors = asyncio.run(_load(port, "/api/v1/reports", bodies, 8, args.warmup))
        if warm_errors:
            print("warm-up errors:", warm_errors[:3])
            failed = True
        targets = [
            ("bare view", "/bench/bare", []),
            ("POST /api/v1/reports", "/api/v1/reports", bodies),
        ]
        if args.only:
            targets = [t for t in targets if (t[0] == "bare view") == (args.only == "bare")]
        for n in clients:
            for name, path, payloads in targets:
                load_before = loadavg()
                app0, db0 = cpu_snapshot(server.pid, env, dbname)
                elapsed, latencies, errors = asyncio.run(
                    _load(port, path, payloads, n, args.duration)
                )
                app1, db1 = cpu_snapshot(server.pid, env, dbname)
                count = len(latencies)
                rows.append(
                    (
                        name,
                        n,
                        count / elapsed,
                        quantile(latencies, 0.50),
                        quantile(latencies, 0.95),
                        quantile(latencies, 0.99),
                        len(errors),
                        cpu_used(app0, app1) / count * 1000,
                        cpu_used(db0, db1) / count * 1000,
                        f"{load_before} → {loadavg()}",
                        count,
                    )
                )
                if errors:
                    failed = True
                    print(f"{name}, {n} clients: {len(errors)} errors, e.g. {errors[:2]}")
    finally:
        server.terminate()
        server.wait()
    verify = subprocess.run(
        [BIN / "baken", "audit", "verify"], env=env, capture_output=True, text=True
    )
    counted = subprocess.run(
        _psql(env, dbname)
        + [
            "-tAc",
            "select (select count(*) from reports_report), "
            "(select count(*) from audit_auditentry where action = 'report.create')",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not (args.keep or args.reuse):
        subprocess.run(_psql(env, "postgres") + ["-qc", f"DROP DATABASE IF EXISTS {dbname}"])

    print(
        f"intake over HTTP, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"gunicorn {args.workers} sync workers (deploy/gunicorn.conf.py), BAKEN_DEBUG=off, "
        f"PostgreSQL {dbname}, {args.duration:.0f} s per run"
    )
    print("command:", shlex.join([sys.executable, *sys.argv]))
    print(
        f"  {'path':22} {'clients':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'app CPU':>8} {'PG CPU':>7}  load average (before → after)"
    )
    for name, n, rate, p50, p95, p99, errs, app, db, load, _count in rows:
        print(
            f"  {name:22} {n:7d} {rate:7.0f} {p50:7.1f} {p95:7.1f} {p99:7.1f} {errs:6d} "
            f"{app:6.2f}ms {db:5.2f}ms  {load}"
        )
    print("  (CPU: seconds of gunicorn's processes and of the database's backends, per request)")
    print(f"reports, audit report.create entries: {counted}")
    print(
        f"baken audit verify (exit {verify.returncode}): {verify.stdout.strip()} "
        f"{verify.stderr.strip()}"
    )
    if verify.returncode != 0:
        failed = True
    if failed:
        print("FAILED: a request was not answered 201, or the audit chain does not verify")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
