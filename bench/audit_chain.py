"""Cost of the hash-chained audit log: append rate and verification rate.

    .venv/bin/python bench/audit_chain.py [N]

Floor: N plain single-row inserts (one transaction each) into a table of the same width
without chain or lock, so the figure shows what the chain itself costs.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("BAKEN_VAR_DIR", tempfile.mkdtemp(prefix="baken-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(os.environ['BAKEN_VAR_DIR']) / 'b.db'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baken.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from baken.audit.services import Target, audit_record  # noqa: E402
from baken.audit.verification import verify_chain  # noqa: E402


def main(n: int) -> None:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain")
        cursor.execute(
            "CREATE TABLE bench_plain (id integer primary key, at varchar(40), action varchar(64),"
            " object_id varchar(64), hash varchar(64))"
        )
    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_plain (id, at, action, object_id, hash) "
                "VALUES (%s, %s, %s, %s, %s)",
                [i + 1, "2026-11-28T00:00:00", "bench.read", str(i), "0" * 64],
            )
    floor = n / (time.perf_counter() - start)

    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=None, action="bench.read", target=Target("bench.thing", str(i)))
    append = n / (time.perf_counter() - start)

    start = time.perf_counter()
    verdict = verify_chain()
    verify = verdict.checked / (time.perf_counter() - start)
    assert verdict.ok
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_plain")

    vendor = connection.vendor
    print(f"audit chain on {vendor}, N={n}")
    print(
        f"  append : {append:8.0f} entries/s   (floor, plain insert: {floor:8.0f} rows/s, "
        f"ratio {floor / append:.1f}x)"
    )
    print(f"  verify : {verify:8.0f} entries/s   ({n} entries in {n / verify:.2f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
