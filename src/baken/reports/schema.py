"""Validation against the uniform report format (reports/report.schema.json).

jsonschema checks the shape; each error becomes an `invalid_params` entry with a dotted
field name and a Dutch reason. For `oneOf` (subjects, reporter) the branch that the input
itself chose (its `type`, its `anonymous`) is the one whose errors are reported.
"""

import functools
import json
from pathlib import Path

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")


@functools.cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


def _name(path) -> str:
    return ".".join(str(part) for part in path)


_REASONS = {
    "required": lambda limit: _("This field is required."),
    "type": lambda limit: _("Expected a value of type %(type)s.") % {"type": limit},
    "minLength": lambda limit: _("Use at least %(limit)s characters.") % {"limit": limit},
    "maxLength": lambda limit: _("Use at most %(limit)s characters.") % {"limit": limit},
    "minimum": lambda limit: _("Must be at least %(limit)s.") % {"limit": limit},
    "maximum": lambda limit: _("Must be at most %(limit)s.") % {"limit": limit},
    "maxItems": lambda limit: _("At most %(limit)s items.") % {"limit": limit},
    "maxProperties": lambda limit: _("At most %(limit)s answers.") % {"limit": limit},
    "enum": lambda limit: _("Choose one of: %(options)s.") % {"options": ", ".join(limit)},
    "const": lambda limit: _("Must be %(value)s.") % {"value": json.dumps(limit)},
    "pattern": lambda limit: _("This is not in the expected format."),
    "additionalProperties": lambda limit: _("This field is not part of the report format."),
    "oneOf": lambda limit: _("This does not match any of the allowed forms."),
}


def bsn_message() -> str:
    return _("This BSN is not right: it must have 9 digits and pass the 11-test.")


# Where the general reason would leave the reporter guessing (a pattern, a type), the field's
# own: keyed by the validator and the last part of the field's name.
_FIELD_REASONS = {
    ("pattern", "bsn"): bsn_message,
    ("pattern", "kvk_number"): lambda: _("A KvK number has 8 digits, for example 12345678."),
    ("type", "house_number"): lambda: _("Give the house number as a number, for example 14."),
    ("minimum", "house_number"): lambda: _("A house number lies between 1 and 99999."),
    ("maximum", "house_number"): lambda: _("A house number lies between 1 and 99999."),
    ("format", "email"): lambda: _("This is not a valid e-mail address."),
}


def _reason(error: ValidationError) -> tuple[str, str]:
    code = str(error.validator)
    path = list(error.absolute_path)
    specific = _FIELD_REASONS.get((code, str(path[-1]) if path else ""))
    if specific:
        return code, specific()
    if code == "maxLength" and isinstance(error.instance, str):
        return code, _("Your text is too long: at most %(limit)s characters.") % {
            "limit": error.validator_value
        }
    make = _REASONS.get(code)
    return code, make(error.validator_value) if make else error.message


def _branch_errors(error: ValidationError) -> list[ValidationError] | None:
    """For a oneOf failure, the errors of the branch the input meant."""
    instance, branches = error.instance, error.validator_value
    if not isinstance(instance, dict):
        return None
    for index, branch in enumerate(branches):
        props = branch.get("properties", {})
        chosen = [
            key
            for key in ("type", "anonymous")
            if key in props and "const" in props[key] and instance.get(key) == props[key]["const"]
        ]
        if chosen:
            return [sub for sub in error.context if sub.schema_path and sub.schema_path[0] == index]
    return None


def _entries(error: ValidationError) -> list[dict]:
    if error.validator == "oneOf":
        branch = _branch_errors(error)
        if branch:
            return [entry for sub in branch for entry in _entries(sub)]
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = [f for f in error.validator_value if f not in (error.instance or {})]
        code, reason = _reason(error)
        return [
            {"name": _name([*path, field]), "code": code, "reason": reason} for field in missing
        ]
    if error.validator == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = [key for key in error.instance if key not in allowed]
        code, reason = _reason(error)
        return [{"name": _name([*path, key]), "code": code, "reason": reason} for key in extra]
    code, reason = _reason(error)
    return [{"name": _name(path) or "nonFieldErrors", "code": code, "reason": reason}]


def shape_errors(payload) -> list[dict]:
    if not isinstance(payload, dict):
        return [{"name": "nonFieldErrors", "code": "type", "reason": _("Send a JSON object.")}]
    errors = sorted(validator().iter_errors(payload), key=lambda e: list(map(str, e.path)))
    return [entry for error in errors for entry in _entries(error)]
