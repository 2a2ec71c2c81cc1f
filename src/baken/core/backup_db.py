"""The database half of a backup: each engine saved and loaded with its own tools.

PostgreSQL: `pg_dump -Fc` and `pg_restore`, which must be on PATH (the PostgreSQL client tools,
of the server's major version or newer). SQLite: the online backup API, which copies a
consistent snapshot while Baken keeps running.
"""

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

POSTGRESQL, SQLITE = "postgresql", "sqlite"
FILE_NAMES = {POSTGRESQL: "database.dump", SQLITE: "database.sqlite3"}


class DatabaseToolFailed(Exception):
    pass


def engine() -> str:
    vendor = connection.vendor
    if vendor not in FILE_NAMES:
        raise DatabaseToolFailed(f"Baken backs up PostgreSQL and SQLite, not {vendor}.")
    return vendor


def applied_migrations() -> list[str]:
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


def known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def is_empty() -> bool:
    return not connection.introspection.table_names()


def dump(
    target: Path,
    *,
    without_rows: tuple[str, ...] = (),
    during: Callable[[], None] = lambda: None,
) -> None:
    """Write the whole database to `target` (a file that does not exist yet), but for the
    rows of the tables `without_rows` (the key stores, ADR 0031; the owners' rows, ADR 0032):
    their tables are in it, empty, and no trace of their rows. `during()` is called while
    Django's connection reads exactly what the dump holds (the same snapshot), to write
    those rows elsewhere."""
    if engine() == POSTGRESQL:
        # One snapshot for pg_dump and for `during`: a repeatable-read transaction that
        # exports it (pg_dump --snapshot), held open until both are done.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            _run(
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                *(f"--exclude-table-data={table}" for table in without_rows),
                f"--file={target}",
            )
            during()
        return
    # One snapshot for the copy and for `during`: a read transaction on Django's own
    # connection (deferred, so writers go on: WAL), the copy made through it, and `during`
    # reading through it too. Not Django's atomic(): Baken's SQLite transactions begin
    # IMMEDIATE, which would hold the write lock for as long as the backup takes.
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("BEGIN DEFERRED")
    try:
        raw.execute("SELECT count(*) FROM sqlite_master")  # the snapshot starts here
        copy = sqlite3.connect(target)
        try:
            raw.backup(copy)
            # One self-contained file: a WAL-mode copy would grow -wal/-shm files beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
            copy.commit()
        finally:
            copy.close()
        during()
    finally:
        raw.execute("COMMIT")
    copy = sqlite3.connect(target)
    try:
        present = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        if emptied := [table for table in without_rows if table in present]:
            # Overwritten where they were, the full-text indexes rebuilt from what is left,
            # and the file rewritten without free pages: the rows must not be recoverable
            # from the copy.
            copy.execute("PRAGMA secure_delete=ON")
            for table in emptied:
                copy.execute(f'DELETE FROM "{table}"')  # noqa: S608 (our own table names)
            for (fts,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5(%'"
            ).fetchall():
                copy.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')  # noqa: S608
            copy.commit()
            copy.execute("VACUUM")
    finally:
        copy.close()


def load(source: Path, *, between: Callable[[], None] = lambda: None) -> None:
    """Load a dump made by `dump` into this (empty) database. `between()` is called once the
    tables and the saved rows are in and before the constraints are checked (PostgreSQL:
    before its constraints and indexes are made), to load the rows the dump left out."""
    if engine() == POSTGRESQL:
        flags = ("--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction")
        _run(
            "pg_restore",
            *flags,
            "--section=pre-data",
            "--section=data",
            str(source),
            database_flag=True,
        )
        with transaction.atomic():
            between()
        _run("pg_restore", *flags, "--section=post-data", str(source), database_flag=True)
        return
    connection.close()
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = sqlite3.connect(_sqlite_name())
    try:
        origin.backup(target)
    finally:
        target.close()
        origin.close()
    with transaction.atomic(), connection.constraint_checks_disabled():
        between()
    connection.check_constraints()


def _sqlite_name() -> str:
    return str(connection.settings_dict["NAME"])


def _run(tool: str, *args: str, database_flag: bool = False) -> None:
    if shutil.which(tool) is None:
        raise DatabaseToolFailed(
            f"{tool} was not found on PATH. Install the PostgreSQL client tools (the "
            "server's major version or newer), e.g. the Debian package postgresql-client."
        )
    db = connection.settings_dict
    name = str(db["NAME"])
    command = [tool, *args, f"--dbname={name}" if database_flag else name]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command.insert(1, f"{flag}={db[key]}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    # The arguments are the settings' own connection details, passed as a list (no shell).
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise DatabaseToolFailed(f"{tool} failed ({done.returncode}): {done.stderr.strip()}")
