"""Whole numbers that name something (an id, a revision) in the API's query strings and JSON
bodies: at most 2^63 - 1, the largest integer PostgreSQL's bigint and SQLite hold. A larger
one cannot be looked up (SQLite raises OverflowError, PostgreSQL a DataError: a 500), so it
is refused as the field's own 400 problem, and the OpenAPI document gives the maximum."""

from typing import Any

from rest_framework import serializers

ID_MAX = 2**63 - 1


def id_field(*, min_value: int = 1, **kwargs: Any) -> serializers.IntegerField:
    """An IntegerField from `min_value` (1: an id) to ID_MAX."""
    return serializers.IntegerField(min_value=min_value, max_value=ID_MAX, **kwargs)
