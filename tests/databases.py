"""A second, empty database beside the test database, for tests that install Baken again
elsewhere (a restore, an upgrade): a file on SQLite, a database of its own on PostgreSQL
(created, then dropped)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection


@contextmanager
def second_database(*, suffix: str, sqlite_file: Path) -> Iterator[str]:
    """Yield the DATABASE_URL of an empty database named after the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{sqlite_file}"
        return
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_{suffix}"[:63]
    admin = psycopg.connect(
        dbname="postgres",
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    try:
        yield f"postgres://{auth}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
