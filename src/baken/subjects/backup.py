"""What a backup and a restore ask of the subjects app (core/backup.py, core/restore.py):
each registered subject is an owner of sealed rows, its key written apart from the database
(ADR 0032); and the table of the words of subjects' names (PostgreSQL search), which a
backup leaves empty and a restore fills from the subjects that came back, so that a
destroyed subject's name does not outlive it there. Named in SubjectsConfig, so that core
need not import subjects."""

from django.db import connection

from baken.core.sealing import Owner

from .models import Subject, SubjectKey
from .search_index import PG_FILL_WORDS

OWNER = Owner(
    model=Subject,
    key_model=SubjectKey,
    field="subject",
    purpose="baken.subjects.subject-key.wrap.v1",
)
DERIVED_TABLES = ("subjects_name_word",)
# A relation goes with the report it was taken from (privacy/destruction.py), though the
# link may be empty for a relation recorded without one.
DELETE_WITH = ("subjects.relation.source_report",)


def derived_fill() -> None:
    """Fill the derived tables from the rows restored."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(PG_FILL_WORDS)
