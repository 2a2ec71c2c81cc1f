"""`baken backup` and `baken restore` with many reports, against a plain dump and restore.

    .venv/bin/python bench/backup.py --database-url URL [--reports N] [--no-load]
                                     [--databases postgresql,sqlite] [--var DIR] [--keep]
                                     [--code DIR]

Since ADR 0032 a backup is not a plain dump: the rows that belong to a report, subject or case (the
models of `baken.core.sealing.sealed_models()`) are left out of the database, and written to
`sealed-<app>.jsonl` (at first one file, `report-rows.jsonl`), serialized (Django's python
serializer) and sealed under their owner's own key; a restore loads the dump without them,
loads them back (bulk_create), and only then (PostgreSQL) makes the constraints and indexes.
This measures what that costs.

For each database of --databases:

1. Load: N demo reports (default 100,000; `bench/triage.py`'s `load_reports`: the demo
   generator, seed 1, no photos) after `migrate`, then VACUUM ANALYZE, in a child process on
   Baken's production settings (`baken.settings`, BAKEN_DEBUG=off) with a data key of its
   own (`baken create-data-key`, in --var, kept with --keep for a later --no-load run). Not
   `bench/triage.py` itself: that loads on the test settings with their own throw-away data
   key, and a backup needs the data key the report keys were wrapped with. PostgreSQL: into
   --database-url (created when missing; reports added only up to N); SQLite: a file in --var.
   Skipped with --no-load.
2. The floor. PostgreSQL: `pg_dump --format=custom` of the whole database to a file, and
   `pg_restore --single-transaction` of it into a fresh empty database (what a backup was
   before ADR 0032). SQLite: a copy with the sqlite3 backup API, and a copy of that copy into
   a fresh file.
3. `baken backup DIR` and `baken restore DIR` (each its own process, production settings)
   into a fresh empty database and an empty var folder, with the same data key file and the
   key store in the backup. Printed: seconds, peak RSS (os.wait4: the process and the
   database tool it waited for), sealed rows written (manifest "sealed": each file's "rows",
   summed) and rows/s, sizes of the dump and of each sealed file (report-rows.jsonl; since
   b336baf one sealed-<app>.jsonl per owning app), and restore's own summary. The restored
   database must hold as many reports_report and reports_reportsubject rows as the source
   (the script fails otherwise); the other tables whose counts differ are listed.

Finally a table: step | floor s | baken s | ratio. The databases the script created (the
restore targets always, the source unless --keep) are dropped at the end. --code runs Baken
from another checkout (a `git worktree` of the commit to measure), as bench/panels.py does.
"""

import argparse
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.panels import BIN, ROOT, environment  # noqa: E402

CHECKED = ("reports_report", "reports_reportsubject")
CODE = ROOT  # --code


# --- in the load child: Django on the production settings --------------------------------


def load(args) -> None:
    """`migrate`, N demo reports, VACUUM ANALYZE; prints JSON."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from baken.reports.models import Report
    from bench.triage import analyze, load_reports

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - start
    loaded = load_reports(connection, args.reports)
    out = {"migrate_s": migrated, "load_s": loaded, "analyze_s": analyze(connection)}
    out["reports"] = Report.objects.count()
    print(json.dumps(out))


# --- in the parent ------------------------------------------------------------------------


def admin(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


class Postgres:
    vendor = "postgresql"

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.server, self.name = self.url.rsplit("/", 1)
        self.created: list[str] = []

    def url_of(self, name: str) -> str:
        return f"{self.server}/{name}"

    def create(self, name: str) -> None:
        with admin(self.url_of("postgres")) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)

    def ensure_source(self) -> None:
        with admin(self.url_of("postgres")) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            if found.fetchone() is None:
                conn.execute(f'CREATE DATABASE "{self.name}"')
                self.created.append(self.name)

    def drop(self, keep_source: bool) -> None:
        with admin(self.url_of("postgres")) as conn:
            for name in self.created:
                if not (keep_source and name == self.name):
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def counts(self, url: str) -> dict[str, int]:
        """Every table's rows (exact counts)."""
        with admin(url) as conn:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            return {
                table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in tables
            }

    def floor(self, scratch: Path) -> dict:
        dump = scratch / "floor.dump"
        target = f"{self.name}_floor"
        self.create(target)
        flags = ["--no-owner", "--no-privileges"]
        out = {}
        out["backup_s"], out["backup_rss"] = timed(
            ["pg_dump", "--format=custom", *flags, f"--file={dump}", f"--dbname={self.plain()}"],
            os.environ,
            scratch / "floor-dump",
        )
        out["restore_s"], out["restore_rss"] = timed(
            ["pg_restore", "--single-transaction", "--exit-on-error", *flags]
            + [f"--dbname={self.plain(target)}", str(dump)],
            os.environ,
            scratch / "floor-restore",
        )
        out["bytes"] = dump.stat().st_size
        out["restored"] = self.counts(self.url_of(target))
        with admin(self.url_of("postgres")) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        return out

    def plain(self, name: str | None = None) -> str:
        """A libpq URL for the PostgreSQL tools."""
        return self.url_of(name or self.name).replace("postgres://", "postgresql://", 1)

    def restore_target(self) -> str:
        name = f"{self.name}_restore"
        self.create(name)
        return self.url_of(name)

    def reports(self) -> int:
        with admin(self.url) as conn:
            if conn.execute("SELECT to_regclass('reports_report')").fetchone()[0] is None:
                return 0
            return conn.execute("SELECT count(*) FROM reports_report").fetchone()[0]


class Sqlite:
    vendor = "sqlite"

    def __init__(self, var: Path, scratch: Path):
        self.path = var / "source.sqlite3"
        self.url = f"sqlite:///{self.path}"
        self.scratch = scratch
        self.created: list[Path] = []

    def ensure_source(self) -> None:
        if not self.path.exists():
            self.created.append(self.path)

    def drop(self, keep_source: bool) -> None:
        for path in self.created:
            if not (keep_source and path == self.path):
                for extra in ("", "-wal", "-shm"):
                    Path(f"{path}{extra}").unlink(missing_ok=True)

    def counts(self, url: str) -> dict[str, int]:
        path = url.removeprefix("sqlite:///")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"
                )
            ]
            return {
                table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in tables
            }
        finally:
            conn.close()

    def floor(self, scratch: Path) -> dict:
        copy, again = scratch / "floor.sqlite3", scratch / "floor-restored.sqlite3"
        out = {}
        for step, origin, target in (("backup", self.path, copy), ("restore", copy, again)):
            start = time.perf_counter()
            source = sqlite3.connect(f"file:{origin}?mode=ro", uri=True)
            into = sqlite3.connect(target)
            try:
                source.backup(into)
            finally:
                into.close()
                source.close()
            out[f"{step}_s"], out[f"{step}_rss"] = time.perf_counter() - start, None
        out["bytes"] = copy.stat().st_size
        out["restored"] = self.counts(f"sqlite:///{again}")
        copy.unlink()
        again.unlink()
        return out

    def restore_target(self) -> str:
        return f"sqlite:///{self.scratch / 'restored.sqlite3'}"

    def reports(self) -> int:
        if not self.path.exists():
            return 0
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'reports_report'"
            ).fetchone()
            return conn.execute("SELECT count(*) FROM reports_report").fetchone()[0] if found else 0
        finally:
            conn.close()


def timed(command: list, env, log: Path) -> tuple[float, int]:
    """Run `command`; (seconds, peak RSS in KiB of it and the children it waited for).
    Its output goes to log.out / log.err; a failure ends the script with its stderr."""
    out, err = log.with_suffix(".out"), log.with_suffix(".err")
    with out.open("w") as stdout, err.open("w") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=CODE, stdout=stdout, stderr=stderr)
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(
            f"FAILED ({process.returncode}): {shlex.join(map(str, command))}\n"
            f"stdout:\n{out.read_text()}\nstderr:\n{err.read_text()}"
        )
    return elapsed, usage.ru_maxrss


def size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def mb(n: int | None) -> str:
    return f"{n / 1e6:.1f} MB"


def rss(kib: int | None) -> str:
    return f"{kib / 1024:.0f} MiB" if kib else "-"


def measure(db, args, env: dict, var: Path, scratch: Path) -> dict:
    """Load (unless --no-load), the floor, then baken backup and baken restore."""
    db.ensure_source()
    source_env = dict(env, DATABASE_URL=db.url, BAKEN_VAR_DIR=str(var / f"var-{db.vendor}"))
    Path(source_env["BAKEN_VAR_DIR"]).mkdir(exist_ok=True)
    result: dict = {"vendor": db.vendor, "load": None}
    if not args.no_load and db.reports() < args.reports:
        command = [sys.executable, __file__, "--load", "--reports", str(args.reports)]
        command += ["--database-url", db.url]
        done = subprocess.run(command, env=source_env, cwd=CODE, stdout=subprocess.PIPE, text=True)
        if done.returncode:
            sys.exit(f"loading {db.vendor} failed ({done.returncode})")
        result["load"] = json.loads(done.stdout)
        print(f"{db.vendor}: loaded {json.dumps(result['load'])}", file=sys.stderr)
    source = db.counts(db.url)
    result["source"] = source
    print(f"{db.vendor}: floor", file=sys.stderr)
    result["floor"] = db.floor(scratch)

    folder = scratch / f"backup-{db.vendor}"
    print(f"{db.vendor}: baken backup", file=sys.stderr)
    result["backup_s"], result["backup_rss"] = timed(
        [BIN / "baken", "backup", folder], source_env, scratch / f"backup-{db.vendor}-log"
    )
    manifest = json.loads((folder / "manifest.json").read_text())
    result["manifest"] = manifest
    result["backup_out"] = (scratch / f"backup-{db.vendor}-log.out").read_text()
    result["key_store_bytes"] = size(folder / manifest["key_store"]["path"])

    restore_var = scratch / f"var-restore-{db.vendor}"
    restore_var.mkdir()
    target = db.restore_target()
    restore_env = dict(env, DATABASE_URL=target, BAKEN_VAR_DIR=str(restore_var))
    print(f"{db.vendor}: baken restore", file=sys.stderr)
    result["restore_s"], result["restore_rss"] = timed(
        [BIN / "baken", "restore", folder], restore_env, scratch / f"restore-{db.vendor}-log"
    )
    result["restore_out"] = (scratch / f"restore-{db.vendor}-log.out").read_text()
    result["restored"] = db.counts(target)
    return result


def report(result: dict) -> bool:
    """Print one database's figures; False when the restored counts are wrong."""
    vendor, manifest, floor = result["vendor"], result["manifest"], result["floor"]
    source, restored = result["source"], result["restored"]
    # One sealed file at b13a708 (report-rows.jsonl); one per owning app since b336baf.
    files = manifest["sealed"]
    sealed = {"rows": sum(f["rows"] for f in files), "bytes": sum(f["bytes"] for f in files)}
    database = manifest["database"]
    print(f"{vendor}: {source['reports_report']} reports", end="")
    if result["load"]:
        loaded = result["load"]
        print(f" (loaded in {loaded['load_s']:.0f} s, migrate {loaded['migrate_s']:.0f} s)", end="")
    print(f", {sum(source.values())} rows in {len(source)} tables")
    floor_name = "pg_dump -Fc / pg_restore" if vendor == "postgresql" else "sqlite3 backup API"
    print(
        f"  floor ({floor_name}): backup {floor['backup_s']:.1f} s, restore "
        f"{floor['restore_s']:.1f} s, dump {mb(floor['bytes'])}"
        + (
            f"; peak RSS {rss(floor['backup_rss'])} / {rss(floor['restore_rss'])}"
            if floor["backup_rss"]
            else ""
        )
    )
    each = ", ".join(f"{f['path']} {f['rows']} rows {mb(f['bytes'])}" for f in files)
    print(
        f"  baken backup: {result['backup_s']:.1f} s, peak RSS {rss(result['backup_rss'])}; "
        f"{sealed['rows']} sealed rows ({sealed['rows'] / result['backup_s']:.0f} rows/s over "
        f"the whole backup); database {mb(database['bytes'])}, {each}, "
        f"key store {mb(result['key_store_bytes'])}"
    )
    print(
        f"  baken restore: {result['restore_s']:.1f} s, peak RSS {rss(result['restore_rss'])} "
        f"({sealed['rows'] / result['restore_s']:.0f} sealed rows/s over the whole restore)"
    )
    print("  restore said: " + " | ".join(result["restore_out"].strip().splitlines()))
    ok = True
    for table in CHECKED:
        same = source.get(table) == restored.get(table)
        ok &= same
        print(
            f"  {table}: source {source.get(table)}, restored {restored.get(table)}"
            + ("" if same else "  <-- MISMATCH")
        )
    other = sorted(
        f"{t} {source.get(t)}->{restored.get(t)}"
        for t in set(source) | set(restored)
        if t not in CHECKED and source.get(t) != restored.get(t)
    )
    print("  other tables that differ: " + (", ".join(other) if other else "none"))
    floor_other = sorted(t for t in source if source[t] != floor["restored"].get(t))
    if floor_other:
        print("  (the floor's restore differs in: " + ", ".join(floor_other) + ")")
    return ok


def table(results: list[dict]) -> None:
    print(f"  {'step':34} {'floor s':>9} {'baken s':>9} {'ratio':>7}")
    for result in results:
        floor = result["floor"]
        for step in ("backup", "restore"):
            f, b = floor[f"{step}_s"], result[f"{step}_s"]
            print(f"  {result['vendor'] + ' ' + step:34} {f:9.1f} {b:9.1f} {b / f:6.1f}x")
        manifest = result["manifest"]
        sizes = manifest["database"]["bytes"] + sum(f["bytes"] for f in manifest["sealed"])
        print(
            f"  {result['vendor'] + ' size (MB)':34} {floor['bytes'] / 1e6:9.1f} "
            f"{sizes / 1e6:9.1f} {sizes / floor['bytes']:6.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database-url", required=True, help="the PostgreSQL source (created if missing)"
    )
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--databases", default="postgresql")
    parser.add_argument("--no-load", action="store_true", help="the sources are loaded")
    parser.add_argument("--keep", action="store_true", help="keep the sources and --var")
    parser.add_argument("--var", default=str(Path(tempfile.gettempdir()) / "baken-bench-backup"))
    parser.add_argument("--code", default=str(ROOT), help="the checkout to run (a worktree)")
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    global CODE
    CODE = Path(args.code).resolve()
    if args.load:
        load(args)
        return

    command_line = shlex.join([".venv/bin/python", "bench/backup.py", *sys.argv[1:]])
    print(f"command: {command_line}", flush=True)
    var = Path(args.var)
    made_var = not var.exists()
    var.mkdir(exist_ok=True)
    env = environment(args, var)
    env["BAKEN_DATA_KEY_FILE"] = str(var / "data.key")
    if not (var / "data.key").exists():
        if args.no_load:
            sys.exit(f"--no-load, but {var / 'data.key'} (the key it was loaded with) is gone")
        subprocess.run([BIN / "baken", "create-data-key", var / "data.key"], env=env, check=True)
    scratch = Path(tempfile.mkdtemp(prefix="baken-bench-backup-run-"))
    results, dbs = [], []
    try:
        for vendor in args.databases.split(","):
            db = Postgres(args.database_url) if vendor == "postgresql" else Sqlite(var, scratch)
            dbs.append(db)
            results.append(measure(db, args, env, var, scratch))
    finally:
        for db in dbs:
            try:
                db.drop(keep_source=args.keep)
            except Exception as exc:  # noqa: BLE001 (do not hide the error that ended the run)
                print(f"could not drop {db.vendor}'s databases: {exc}", file=sys.stderr)
        shutil.rmtree(scratch, ignore_errors=True)
        if made_var and not args.keep:
            shutil.rmtree(var, ignore_errors=True)

    head = subprocess.run(
        ["git", "-C", str(CODE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(
        f"backup and restore, production settings, code {CODE} ({head}), {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    ok = all([report(result) for result in results])
    table(results)
    print(
        "  floor: a plain dump of the whole database and its restore (PostgreSQL: pg_dump -Fc, "
        "pg_restore --single-transaction; SQLite: the sqlite3 backup API); size: the floor's "
        "dump against baken's database + sealed rows."
    )
    if not ok:
        sys.exit("FAILED: the restored database does not hold the source's rows")


if __name__ == "__main__":
    main()
