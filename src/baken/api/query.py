"""Query parameters as serializers: typed, documented from the same class, and a wrong
type answered with 400 problem+json (`invalid_params`) instead of a default or a 500.

A parameter that takes one value and is given more than once (`page=1&page=2`, how an
array is sent in a query) is refused too, rather than one of the values being picked.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class QuerySerializer(serializers.Serializer):
    def to_internal_value(self, data):
        if hasattr(data, "getlist"):
            repeated = {
                name: [_("Give this parameter once.")]
                for name, field in self.fields.items()
                if not isinstance(field, serializers.ListField) and len(data.getlist(name)) > 1
            }
            if repeated:
                raise serializers.ValidationError(repeated)
        return super().to_internal_value(data)


def query(serializer_class: type[QuerySerializer], request) -> dict:
    """The validated query parameters of `request` (ValidationError: 400 problem+json)."""
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data
