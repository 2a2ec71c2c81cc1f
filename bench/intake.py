"""Intake throughput and latency of POST /api/v1/reports, against a bare Django view.

    .venv/bin/python bench/intake.py [--requests N] [--clients C] [--workers W]

Starts gunicorn on 127.0.0.1 (rate limits off, a throw-away database unless DATABASE_URL is
set), sends text-only reports from C keep-alive clients, and prints reports/s and p50/p95
latency for Baken and for the floor: a bare view on the same server that only reads the body.
Goal (issue 3): at least 300 reports/s with p95 under 100 ms, within 3x of the floor.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from serving import wait_for_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def payload(i: int) -> bytes:
    return json.dumps(
        {
            "category": "drugs",
            "description": f"Benchmark melding {i}: hennepgeur bij de loods, ramen afgeplakt.",
            "location": {"address": {"postcode": "1781AB", "house_number": 1 + i % 180}},
            "subjects": [{"type": "vehicle", "license_plate": "ab123c"}],
            "reporter": {"anonymous": True},
        }
    ).encode()


def run(port: int, path: str, total: int, clients: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    counter = iter(range(total))

    def client() -> None:
        nonlocal failures
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            start = time.perf_counter()
            conn.request("POST", path, payload(i), {"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                failures += response.status != 201
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, latencies, failures


def p(latencies: list[float], q: float) -> float:
    return statistics.quantiles(latencies, n=100)[int(q) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="baken-bench-"))
    env = dict(
        os.environ,
        BAKEN_VAR_DIR=str(var),
        BAKEN_DEBUG="on",
        BAKEN_RATELIMIT_ENABLE="off",
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(ROOT),
    )
    env.setdefault("DATABASE_URL", f"sqlite:///{var / 'bench.sqlite3'}")
    subprocess.run([BIN / "baken", "migrate", "-v0"], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "baken.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for_port(port, tries=100)
        run(port, "/bench/bare", 200, args.clients)  # warm-up
        run(port, "/api/v1/reports", 100, args.clients)
        results = {}
        for name, path in (
            ("floor (bare view)", "/bench/bare"),
            ("POST /api/v1/reports", "/api/v1/reports"),
        ):
            elapsed, latencies, failures = run(port, path, args.requests, args.clients)
            results[name] = (args.requests / elapsed, p(latencies, 50), p(latencies, 95), failures)
    finally:
        server.terminate()
        server.wait()
    engine = env["DATABASE_URL"].split(":", 1)[0]
    print(
        f"intake benchmark: {args.requests} requests, {args.clients} clients, "
        f"{args.workers} gunicorn workers, database {engine}, {os.cpu_count()} cores"
    )
    for name, (rate, p50, p95, failures) in results.items():
        print(
            f"  {name:22} {rate:7.0f} req/s   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   "
            f"failures {failures}"
        )
    floor, real = results["floor (bare view)"][0], results["POST /api/v1/reports"][0]
    print(
        f"  ratio floor/reports: {floor / real:.1f}x   (goal: >= 300 reports/s, p95 < 100 ms, "
        f"within 3x of the floor)"
    )


if __name__ == "__main__":
    main()
