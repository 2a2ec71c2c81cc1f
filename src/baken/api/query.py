"""Query parameters as serializers: typed, documented from the same class, and a wrong
type answered with 400 problem+json (`invalid_params`) instead of a default or a 500.

A parameter that takes one value and is given more than once (`page=1&page=2`, how an
array is sent in a query) is refused, rather than one of the values being picked; so is a
parameter given empty (`view=`): leave it out instead.
"""

from typing import NoReturn

from django import forms
from django.utils.translation import gettext as _
from rest_framework import serializers

_BLANK = serializers.CharField.default_error_messages["blank"]


class QuerySerializer(serializers.Serializer):
    def to_internal_value(self, data):
        if hasattr(data, "getlist"):
            problems = {}
            for name, field in self.fields.items():
                values = data.getlist(name)
                if isinstance(field, serializers.ListField):
                    if "" in values:
                        problems[name] = [_BLANK]
                elif len(values) > 1:
                    problems[name] = [_("Give this parameter once.")]
                elif values == [""] and not getattr(field, "allow_blank", False):
                    problems[name] = [_BLANK]
            if problems:
                raise serializers.ValidationError(problems)
        return super().to_internal_value(data)


def query(serializer_class: type[QuerySerializer], request) -> dict:
    """The validated query parameters of `request` (otherwise a 400 problem)."""
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


def refuse_query(serializer_class: type[QuerySerializer], request, form: forms.Form) -> NoReturn:
    """A 400 problem naming every wrong parameter: the serializer's (types) and those of the
    page's own filter form, whose rules the API shares. For a query one of them refused."""
    params = serializer_class(data=request.query_params)
    problems = {} if params.is_valid() else dict(params.errors)
    for name, messages in form.errors.items():
        problems.setdefault(name, [str(message) for message in messages])
    raise serializers.ValidationError(problems)
