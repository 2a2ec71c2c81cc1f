"""An empty decision or routing rule says at each field what is missing, in Dutch, not only
"Dit veld is verplicht." (the error summary and the field read the same sentence)."""

from django.utils import translation

from baken.reports.forms import DecisionForm
from baken.reports.routing_views import RoutingRuleForm


def test_an_empty_decision_says_what_to_choose_and_write(db):
    with translation.override("nl"):
        form = DecisionForm(data={})
        assert not form.is_valid()
        assert form.errors["kind"] == ["Kies een besluit."]
        assert form.errors["rationale"] == ["Schrijf op waarom u dit besluit neemt."]


def test_an_empty_routing_rule_asks_for_a_name_and_a_team(db):
    with translation.override("nl"):
        form = RoutingRuleForm(data={})
        assert not form.is_valid()
        assert form.errors["name"] == ["Geef de regel een naam."]
        assert form.errors["team"] == ["Kies het team dat de meldingen van deze regel krijgt."]
