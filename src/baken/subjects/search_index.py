"""The database objects behind search, per engine: each database's own engine
(docs/architecture.md#data-files-and-search).

SQLite: three FTS5 tables with external content, kept in sync by triggers — `search_report`
(reference and description, Unicode words without diacritics), `search_subject_word` (the
words of the name key, with their vocabulary) and `search_subject` (the name key in trigrams,
the fallback for fuzzy names). PostgreSQL: a GIN index on the words of the name key with a
table of every word (`subjects_name_word`, filled by a trigger), pg_trgm with a GIN trigram
index on the name key, and a GIN index on the Dutch tsvector of the description.

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
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_subject_word USING fts5(name_key, "
    "content='subjects_subject', content_rowid='id', tokenize='unicode61')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_subject_word_vocab "
    "USING fts5vocab(search_subject_word, row)",
    # What reports mention (issue 12): the names and addresses of their named subjects, and
    # their own address and place in words (subjects/report_search.py).
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_reportsubject_words USING fts5(name, street, "
    "city, content='reports_reportsubject', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_report_words USING fts5(street, city, "
    "location_description, content='reports_report', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
]

_SYNCED = {
    "search_report": ("reports_report", ("reference", "description")),
    "search_subject": ("subjects_subject", ("name_key",)),
    "search_subject_word": ("subjects_subject", ("name_key",)),
    "search_reportsubject_words": ("reports_reportsubject", ("name", "street", "city")),
    "search_report_words": ("reports_report", ("street", "city", "location_description")),
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


# The words of a name key: the same expression in the index, the trigger and the queries.
PG_WORDS = "string_to_array(subjects_subject.name_key, ' ')"
# What reports mention: 'simple' words (no stemming: names and streets are not Dutch prose),
# the same expressions in the indexes and the queries (subjects/report_search.py).
PG_MENTION_WORDS = (
    "reports_reportsubject.name || ' ' || reports_reportsubject.street || ' ' "
    "|| reports_reportsubject.city"
)
PG_PLACE_WORDS = (
    "reports_report.street || ' ' || reports_report.city || ' ' "
    "|| reports_report.location_description"
)


def _unqualified(expression: str) -> str:
    return expression.replace("reports_reportsubject.", "").replace("reports_report.", "")


PG_WORD_TRIGGER = "subjects_name_word_sync"
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS subject_name_key_trgm "
    "ON subjects_subject USING gin (name_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS subject_name_words "
    "ON subjects_subject USING gin (string_to_array(name_key, ' '))",
    "CREATE TABLE IF NOT EXISTS subjects_name_word (word text PRIMARY KEY)",
    # The words of the name keys there are: a new word is added; a word no subject has any
    # more (deleted, renamed, anonymised) is removed, so a name does not outlive its
    # retention here. Words in a fixed order, so two saves never wait for each other's.
    f"CREATE OR REPLACE FUNCTION {PG_WORD_TRIGGER}() RETURNS trigger AS $$ "  # noqa: S608
    "DECLARE w text; BEGIN "
    "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
    "INSERT INTO subjects_name_word (word) SELECT DISTINCT x "
    "FROM unnest(string_to_array(NEW.name_key, ' ')) AS x WHERE x <> '' ORDER BY x "
    "ON CONFLICT DO NOTHING; END IF; "
    "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
    "FOR w IN SELECT DISTINCT x FROM unnest(string_to_array(OLD.name_key, ' ')) AS x "
    "WHERE x <> '' ORDER BY x LOOP "
    "IF TG_OP = 'DELETE' OR NOT (w = ANY(string_to_array(NEW.name_key, ' '))) THEN "
    "DELETE FROM subjects_name_word WHERE word = w AND NOT EXISTS (SELECT 1 FROM "
    "subjects_subject s WHERE string_to_array(s.name_key, ' ') @> ARRAY[w] AND s.id <> OLD.id); "
    "END IF; END LOOP; END IF; RETURN NULL; END $$ LANGUAGE plpgsql",
    # The first version of this trigger only ever added words.
    "DROP TRIGGER IF EXISTS subjects_name_word_add ON subjects_subject",
    "DROP FUNCTION IF EXISTS subjects_name_word_add()",
    "CREATE INDEX IF NOT EXISTS report_description_fts "
    "ON reports_report USING gin (to_tsvector('dutch', description))",
    "CREATE INDEX IF NOT EXISTS report_subject_words ON reports_reportsubject "
    f"USING gin (to_tsvector('simple', {_unqualified(PG_MENTION_WORDS)}))",
    "CREATE INDEX IF NOT EXISTS report_place_words ON reports_report "
    f"USING gin (to_tsvector('simple', {_unqualified(PG_PLACE_WORDS)}))",
]
PG_TRIGGER = (
    f"CREATE TRIGGER {PG_WORD_TRIGGER} AFTER INSERT OR UPDATE OF name_key OR DELETE "
    f"ON subjects_subject FOR EACH ROW EXECUTE FUNCTION {PG_WORD_TRIGGER}()"
)
PG_FILL_WORDS = (
    "INSERT INTO subjects_name_word (word) SELECT DISTINCT w FROM subjects_subject, "
    "unnest(string_to_array(name_key, ' ')) AS w WHERE w <> '' ON CONFLICT DO NOTHING"
)
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS {PG_WORD_TRIGGER} ON subjects_subject",
    f"DROP FUNCTION IF EXISTS {PG_WORD_TRIGGER}()",
    "DROP TABLE IF EXISTS subjects_name_word",
    "DROP INDEX IF EXISTS subject_name_words",
    "DROP INDEX IF EXISTS report_description_fts",
    "DROP INDEX IF EXISTS report_subject_words",
    "DROP INDEX IF EXISTS report_place_words",
    "DROP INDEX IF EXISTS subject_name_key_trgm",
]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for fts in _SYNCED for name in _triggers(fts)),
    "DROP TABLE IF EXISTS search_subject_word_vocab",
    "DROP TABLE IF EXISTS search_subject_word",
    "DROP TABLE IF EXISTS search_subject_vocab",
    "DROP TABLE IF EXISTS search_subject",
    "DROP TABLE IF EXISTS search_report",
    "DROP TABLE IF EXISTS search_reportsubject_words",
    "DROP TABLE IF EXISTS search_report_words",
]


def ensure_search_index(connection) -> list[str]:
    """Create what is missing (idempotent); returns the FTS tables rebuilt from content."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in POSTGRESQL:
                cursor.execute(sql)
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal",
                [PG_WORD_TRIGGER],
            )
            if cursor.fetchone() is None:
                cursor.execute(PG_TRIGGER)
                cursor.execute(PG_FILL_WORDS)  # the words of the subjects already there
                return ["subjects_name_word"]
        return []
    if connection.vendor != "sqlite":
        return []
    rebuilt = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        if not {"reports_report", "reports_reportsubject", "subjects_subject"} <= present:
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


def search_index_purge(connection) -> None:
    """Rewrite SQLite's full-text indexes without what was deleted: FTS5 keeps a deleted
    row's words in its segments until they are merged, so after a retention run destroyed
    reports and subjects their names would still be in the index's tables. PostgreSQL's GIN
    indexes drop dead entries when the table is vacuumed (autovacuum)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        present = {row[0] for row in cursor.fetchall()}
        for fts in _SYNCED:
            if fts in present:
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")  # noqa: S608


def drop_search_index(connection) -> None:
    statements = {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
