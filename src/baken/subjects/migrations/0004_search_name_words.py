"""Search: the words of subject name keys (SQLite FTS5 table with its vocabulary; PostgreSQL a
GIN index on the words and a table of every word, filled by a trigger). Fuzzy name search
looks up the typed words and their near spellings in these (subjects/search.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from baken.subjects.search_index import ensure_search_index

    ensure_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("subjects", "0003_search_index")]

    # Going back, 0003 drops every search object, these included.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
