"""Counts that stop at a cap: a page that says "more than 1000" need not read a million
index entries to say so."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet


def capped_counts(querysets: list[QuerySet], cap: int) -> list[int]:
    """How many rows each queryset has, at most cap + 1 each (cap + 1 reads as "more than
    cap"): one query of scalar subqueries, each reading no more than cap + 1 entries of its
    index, however many rows match. Each is counted as it selects: `values("pk")`, or the
    column of the index that finds the rows, so that the index alone can be read."""
    if not querysets:
        return []
    parts: list[str] = []
    params: list = []
    for i, rows in enumerate(querysets):
        try:
            capped = rows.order_by()[: cap + 1]
            sql, part_params = capped.query.sql_with_params()
        except EmptyResultSet:  # a filter that matches nothing (an area without reports)
            parts.append("0")
            continue
        # Django compiled `sql`, its values are parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped_{i})")  # noqa: S608
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return [int(n) for n in cursor.fetchone()]
