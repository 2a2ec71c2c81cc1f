"""The database objects behind search, per engine (DESIGN.md: each database's own engine).

SQLite: two FTS5 tables with external content, kept in sync by triggers — `search_report`
(reference and description, Unicode words without diacritics) and `search_subject` (the name
key in trigrams, for fuzzy names). PostgreSQL: pg_trgm with a GIN trigram index on the name
key, and a GIN index on the Dutch tsvector of the description.

The migration creates them; `ensure_search_index` runs again after every `migrate`, because
Django rebuilds a SQLite table to alter it (copy, drop, rename) and the triggers of the
dropped table go with it. When that happened the FTS tables are rebuilt from their content.
"""

MIGRATION = ("subjects", "0003_search_index")

SQLITE_TABLES = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_report USING fts5(reference, description, "
    "content='reports_report', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_subject USING fts5(name_key, "
    "content='subjects_subject', content_rowid='id', tokenize='trigram')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_subject_vocab USING fts5vocab(search_subject, row)",
]

_SYNCED = {
    "search_report": ("reports_report", ("reference", "description")),
    "search_subject": ("subjects_subject", ("name_key",)),
}


def _triggers(fts: str) -> dict[str, str]:
    table, columns = _SYNCED[fts]
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    # Only the constant names above go into this SQL, never input.
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"  # noqa: S608
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"  # noqa: S608
    return {
        f"{fts}_ai": f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"{fts}_ad": f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"{fts}_au": (
            f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {names} ON {table} "
            f"BEGIN {delete} {insert} END"
        ),
    }


POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS subject_name_key_trgm "
    "ON subjects_subject USING gin (name_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS report_description_fts "
    "ON reports_report USING gin (to_tsvector('dutch', description))",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS report_description_fts",
    "DROP INDEX IF EXISTS subject_name_key_trgm",
]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for fts in _SYNCED for name in _triggers(fts)),
    "DROP TABLE IF EXISTS search_subject_vocab",
    "DROP TABLE IF EXISTS search_subject",
    "DROP TABLE IF EXISTS search_report",
]


def ensure_search_index(connection) -> list[str]:
    """Create what is missing (idempotent); returns the FTS tables rebuilt from content."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in POSTGRESQL:
                cursor.execute(sql)
        return []
    if connection.vendor != "sqlite":
        return []
    rebuilt = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        if not {"reports_report", "subjects_subject"} <= present:
            return []
        for sql in SQLITE_TABLES:
            cursor.execute(sql)
        for fts in _SYNCED:
            missing = {n: sql for n, sql in _triggers(fts).items() if n not in present}
            for sql in missing.values():
                cursor.execute(sql)
            if missing or fts not in present:
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608
                rebuilt.append(fts)
    return rebuilt


def drop_search_index(connection) -> None:
    statements = {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
