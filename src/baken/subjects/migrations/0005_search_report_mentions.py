"""Search: what reports mention (issue 12) — the names and addresses of their named subjects
and their own address and place in words (SQLite FTS5 tables with triggers; PostgreSQL GIN
indexes on 'simple' tsvectors). See subjects/search_index.py and report_search.py."""

from django.db import migrations


def forwards(apps, schema_editor):
    from baken.subjects.search_index import ensure_search_index

    ensure_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("subjects", "0004_search_name_words")]

    # Going back, 0003 drops every search object, these included.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
