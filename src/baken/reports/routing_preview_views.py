"""The routing rule editor's preview: where the rule stands and which of the last 100 reports
it would take, as the form changes (htmx) or after the "Preview" button (without JS)."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from baken.accounts.decorators import capability_required
from baken.core.roles import Capability

from .models import RoutingRule
from .routing import RoutingRefused, normalise_prefix
from .routing_preview import PREVIEW_SIZE, Placement, landing, rule_preview

_CONDITIONS = ("category", "channel", "postcode_prefix", "area")


def _probe(form, rule: RoutingRule | None) -> RoutingRule | None:
    """An unsaved rule with the conditions the form holds now; None while its postcode prefix
    cannot be read (the form says why on saving)."""
    probe = RoutingRule(pk=rule.pk, position=rule.position) if rule else RoutingRule()
    probe.is_active = True
    if not form.is_bound:
        values = {name: form.initial.get(name) for name in _CONDITIONS} if rule else {}
    else:
        form.is_valid()
        values = {name: form.cleaned_data.get(name) for name in _CONDITIONS}
        try:
            values["postcode_prefix"] = normalise_prefix(form.data.get("postcode_prefix", ""))
        except RoutingRefused:
            return None
    probe.category = values.get("category")
    probe.channel = values.get("channel") or ""
    probe.postcode_prefix = values.get("postcode_prefix") or ""
    probe.area = values.get("area")
    return probe


def preview_context(request, form, rule: RoutingRule | None) -> dict:
    probe = _probe(form, rule)
    if probe is None:
        return {"preview": None, "landing": None, "preview_size": PREVIEW_SIZE}
    placement = form.data.get("placement") or Placement.ABOVE_CATCH_ALLS
    if placement not in Placement.values:
        placement = Placement.ABOVE_CATCH_ALLS
    return {
        "preview": rule_preview(user=request.user, rule=probe, placement=placement),
        "landing": landing(probe, placement),
        "preview_size": PREVIEW_SIZE,
    }


@capability_required(Capability.CONFIGURE)
@require_POST
def rule_preview_partial(request, pk: int | None = None):
    """The preview alone, for htmx while the form changes; nothing is saved."""
    from .routing_views import RoutingRuleForm

    rule = get_object_or_404(RoutingRule, pk=pk) if pk else None
    form = RoutingRuleForm(request.POST, new=rule is None)
    context = {"rule": rule, **preview_context(request, form, rule)}
    return render(request, "reports/routing/_rule_preview.html", context)
