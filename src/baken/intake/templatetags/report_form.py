from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.inclusion_tag("intake/_field.html", takes_context=True)
def field(context, name, label, kind="text", help="", required=False, **attrs):  # noqa: A002
    """One labelled input with its help text and errors, wired for screen readers."""
    errors = context.get("errors", {}).get(name, [])
    values = context.get("values", {})
    return {
        "name": name,
        "id": f"f-{name}",
        "label": label,
        "kind": kind,
        "help": help,
        "required": required,
        "errors": errors,
        "value": values.get(name, "") if hasattr(values, "get") else "",
        "attrs": attrs,
    }
