"""A form renderer that writes Django's smallest form templates in Python (issue 18).

Django renders every field of a form through a handful of tiny templates: the field group
(`field.html`), its label (`label.html` with `attrs.html`) and its error list
(`errors/list/default.html`, `ul.html`), even when that list is empty. On the report page that
is about a hundred template renders for the improve form alone, a third of the page's Python.
`QuickRenderer` writes exactly the same HTML for those templates without a template, and for
the commonest widgets too (an input of any type, a text area, a select with its options: a
select of a dozen choices was some thirty template renders, and at 5 million reports the
widgets were a sixth of the report page's CPU); every other template (radio buttons, a field
in a fieldset, a form's own layout) is rendered as before. tests/core/test_form_rendering.py
holds its output to Django's, byte for byte.

A form uses it with `default_renderer = QUICK` (a class attribute).
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs

_FIELD = "django/forms/field.html"
_LABEL = "django/forms/label.html"
_ERRORS = ("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html")
_INPUT = "django/forms/widgets/input.html"
# Widgets whose template is only `{% include "django/forms/widgets/input.html" %}`.
_INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "time",
        "datetime",
        "checkbox",
        "search",
        "tel",
        "color",
    )
}
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_TEXTAREA = "django/forms/widgets/textarea.html"


def _attrs(attrs: dict | None) -> str:
    """django/forms/attrs.html: ` name="value"`, a True value as the bare name, False left out."""
    out = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}")
        if value is not True:
            out.append(
                f'="{conditional_escape(value if hasattr(value, "__html__") else str(value))}"'
            )
    return "".join(out)


def _label(context: dict) -> str:
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return label.strip()
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>".strip()


def _field(field) -> str:
    """django/forms/field.html for a field outside a fieldset."""
    label = field.label_tag() if field.label else ""
    help_text = ""
    if field.help_text:
        where = f' id="{conditional_escape(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{where}>{field.help_text}</div>'
    errors = conditional_escape(field.errors)
    widget = conditional_escape(field)
    return f"\n  {label}\n\n{help_text}\n{errors}\n{widget}\n".strip()


def _shown(value) -> str:
    """`{{ value }}`: as a template writes it, localized (a number, a date in Dutch) and in
    local time, escaped unless it is safe already."""
    return conditional_escape(localize(template_localtime(value)))


def _text(value) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless it is safe already."""
    return conditional_escape(value if hasattr(value, "__html__") else str(value))


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    )


def _textarea(widget: dict) -> str:
    value = _shown(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _select(widget: dict) -> str | None:
    """select.html with select_option.html for each option; None when an option has a
    template of its own (left to Django)."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION:
                return None
            out.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class QuickRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in _INPUTS:
            return _input(context["widget"])
        if template_name == _TEXTAREA:
            return _textarea(context["widget"])
        if template_name == _SELECT:
            written = _select(context["widget"])
            if written is not None:
                return written
        if template_name == _FIELD and not context["field"].use_fieldset:
            return _field(context["field"])
        if template_name == _LABEL:
            return _label(context)
        if template_name in _ERRORS and not context["errors"]:
            return ""
        return super().render(template_name, context, request=request)


QUICK = QuickRenderer()
