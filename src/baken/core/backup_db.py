"""The database half of a backup: each engine saved and loaded with its own tools.

PostgreSQL: `pg_dump -Fc` and `pg_restore`, which must be on PATH (the PostgreSQL client tools,
of the server's major version or newer). SQLite: the online backup API, which copies a
consistent snapshot while Baken keeps running.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
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


def dump(target: Path, *, without_rows: tuple[str, ...] = ()) -> None:
    """Write the whole database to `target` (a file that does not exist yet), but for the
    rows of the tables `without_rows` (the key store, ADR 0031): their tables are in it,
    empty, and no trace of their rows."""
    if engine() == POSTGRESQL:
        _run(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            *(f"--exclude-table-data={table}" for table in without_rows),
            f"--file={target}",
        )
        return
    source = sqlite3.connect(f"file:{_sqlite_name()}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # One self-contained file: a WAL-mode copy would grow -wal/-shm files beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        present = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        if emptied := [table for table in without_rows if table in present]:
            # Overwritten where they were, and the file rewritten without free pages: the
            # rows must not be recoverable from the copy.
            copy.execute("PRAGMA secure_delete=ON")
            for table in emptied:
                copy.execute(f'DELETE FROM "{table}"')  # noqa: S608 (our own table names)
            copy.commit()
            copy.execute("VACUUM")
    finally:
        copy.close()
        source.close()


def load(source: Path) -> None:
    """Load a dump made by `dump` into this (empty) database."""
    if engine() == POSTGRESQL:
        _run(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            str(source),
            database_flag=True,
        )
        return
    connection.close()
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = sqlite3.connect(_sqlite_name())
    try:
        origin.backup(target)
    finally:
        target.close()
        origin.close()


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
