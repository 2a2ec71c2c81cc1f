"""New rows written together: the rows a new report brings along (its key, subjects, signs,
first status, receipt, contact, idempotency record) in one statement on PostgreSQL instead of
one ORM save each (issue 18: the ORM's per-row cost was most of a report's Python time).

Only for plain new rows whose ids nobody reads back and that no signal listens to: no
`pre_save`/`post_save` is sent (as with `bulk_create`), the instances get no primary key.
Each field's value is prepared as the ORM prepares it (`pre_save`, `get_db_prep_save`), so
defaults, `auto_now_add` and converted fields are stored as by `save()`.
"""

from typing import Any

from django.db import connections, models, router
from django.db.models import AutoField


class NewRows:
    """Collect unsaved instances, then `write()` them in one round trip (PostgreSQL: one
    statement of data-modifying CTEs; elsewhere one INSERT per table)."""

    def __init__(self) -> None:
        self._objects: list[models.Model] = []

    def add(self, *objects: models.Model) -> None:
        self._objects.extend(objects)

    def __len__(self) -> int:
        return len(self._objects)

    def write(self) -> None:
        if not self._objects:
            return
        model = type(self._objects[0])
        connection = connections[router.db_for_write(model)]
        statements = [_insert(group, connection) for group in _by_model(self._objects)]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and len(statements) > 1:
                ctes = ", ".join(f"w{n} AS ({sql})" for n, (sql, _) in enumerate(statements[:-1]))
                params = [p for _, values in statements for p in values]
                cursor.execute(f"WITH {ctes} {statements[-1][0]}", params)
            else:
                for sql, params in statements:
                    cursor.execute(sql, params)
        for obj in self._objects:
            obj._state.adding = False
            obj._state.db = connection.alias
        self._objects = []


def _by_model(objects: list[models.Model]) -> list[list[models.Model]]:
    groups: dict[type, list[models.Model]] = {}
    for obj in objects:
        groups.setdefault(type(obj), []).append(obj)
    return list(groups.values())


def _insert(objects: list[models.Model], connection: Any) -> tuple[str, list[Any]]:
    meta = objects[0]._meta
    fields = [
        f
        for f in meta.concrete_fields
        if not (isinstance(f, AutoField) and getattr(objects[0], f.attname) is None)
        and not f.generated  # computed by the database (GeneratedField)
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params = [
        f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objects for f in fields
    ]
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([row] * len(objects))}"  # noqa: S608
    return sql, params
