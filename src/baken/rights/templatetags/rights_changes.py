"""The changes panel of a request's page (rights/templates/rights/_changes_panel.html): what
may be corrected, removed, restricted or lifted now, and whom to tell (rights.changes.panel),
rendered within the page's own read of the request."""

from django import template

from baken.rights import changes
from baken.rights.change_forms import LiftForm, RemovalForm

register = template.Library()


@register.inclusion_tag("rights/_changes.html", takes_context=True)
def changes_panel(context):
    data_request = context["data_request"]
    found = changes.panel(actor=context["request"].user, request=data_request)
    return {
        **found,
        "data_request": data_request,
        "removal_form": RemovalForm(choices=changes.removal_choices(found["removable"])),
        "lift_form": LiftForm(),
        "csrf_token": context.get("csrf_token"),
        "request": context["request"],
    }
