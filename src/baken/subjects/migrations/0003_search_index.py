"""Search (issue 5, item 8): SQLite FTS5 tables with their triggers, or on PostgreSQL pg_trgm
with a trigram index on the name key and a Dutch full-text index on report descriptions.
Each engine gets only its own statements (subjects/search_index.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from baken.subjects.search_index import ensure_search_index

    ensure_search_index(schema_editor.connection)


def backwards(apps, schema_editor):
    from baken.subjects.search_index import drop_search_index

    drop_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_subject_identifier_indexes"),
        ("subjects", "0002_subjects_relations_areas"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
