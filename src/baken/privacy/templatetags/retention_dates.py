"""`{% destroyed_on day as until %}`: the day a report sealed on `day` (decided 'no action')
is destroyed under the rule in force (docs/retention.md). The reports app may not import
privacy (docs/adr/0026-layers-of-apps.md), so its sealed report's banner
(reports/_sealed_banner.html) asks this tag; without a rule in force it gives None.

The retention run destroys the report at its first run on or after that day, unless a legal
hold keeps it."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django import template

from ..models import RetentionRule, RuleKind, RuleState

register = template.Library()


@register.simple_tag
def destroyed_on(day: date | None) -> date | None:
    if day is None:
        return None
    rule = RetentionRule.objects.filter(
        kind=RuleKind.REPORT_NO_ACTION, state=RuleState.IN_FORCE
    ).first()
    if rule is None:
        return None
    return day + relativedelta(**{rule.period_unit: rule.period_amount})
