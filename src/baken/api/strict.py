"""JSON bodies of the types the document gives them.

DRF is lenient on purpose, for HTML forms: a CharField takes the number 0.5 as "0.5", an
IntegerField the string "12", a BooleanField "yes". The OpenAPI document says `string`,
`integer`, `boolean`, and a client built from it must be able to trust that a value of
another type is refused, not quietly converted (Schemathesis found `{"postcode": 0.5}`
accepted). StrictSerializer, the base of the API's serializers, refuses a JSON value of
another type with DRF's own message for that field (400, `invalid_params`). Query strings
and forms (every value text) are left to DRF.
"""

from collections.abc import Mapping

from rest_framework import serializers

_EXPECTED: list[tuple[type, tuple[type, ...]]] = [
    (serializers.BooleanField, (bool,)),
    (serializers.IntegerField, (int,)),
    (serializers.FloatField, (int, float)),
    (serializers.DecimalField, (int, float, str)),
    (serializers.CharField, (str,)),
    (serializers.DateField, (str,)),
    (serializers.DateTimeField, (str,)),
    (serializers.UUIDField, (str,)),
]


def wrong_type(field: serializers.Field, value) -> str | None:
    """DRF's message for `value` in `field` when its JSON type is not the field's, else None."""
    if value is None:
        return None  # allow_null is DRF's to judge
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        return next((m for item in value if (m := wrong_type(field.child, item))), None)
    for field_class, types in _EXPECTED:
        if isinstance(field, field_class):
            fits = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
            return None if fits else str(field.error_messages["invalid"])
    return None


class StrictSerializer(serializers.Serializer):
    def to_internal_value(self, data):
        if isinstance(data, Mapping) and not hasattr(data, "getlist"):
            problems = {
                name: [message]
                for name, field in self.fields.items()
                if not field.read_only
                and name in data
                and (message := wrong_type(field, data[name]))
            }
            if problems:
                raise serializers.ValidationError(problems)
        return super().to_internal_value(data)
