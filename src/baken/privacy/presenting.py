"""How rules and runs read for people (the page, the command's output)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import PeriodUnit, RetentionRule


def period_text(rule: RetentionRule) -> str:
    amount = rule.period_amount
    unit = PeriodUnit(rule.period_unit)
    if unit == PeriodUnit.DAYS:
        return ngettext("%(n)d day", "%(n)d days", amount) % {"n": amount}
    if unit == PeriodUnit.MONTHS:
        return ngettext("%(n)d month", "%(n)d months", amount) % {"n": amount}
    return ngettext("%(n)d year", "%(n)d years", amount) % {"n": amount}


def line_rows(lines) -> list[str]:
    """One line of text per rule: its name and version, the period, and the counts."""
    rows = []
    for line in lines:
        rule, found = line.rule, line.found
        name = f"{rule.get_kind_display()} ({_('version')} {rule.version}, {period_text(rule)})"
        if not found.built:
            done = _("not destroyed: destroying this kind is not built yet")
        elif found.destroys:
            done = _("destroyed: %(n)d") % {"n": found.done}
        else:
            done = _("listed: %(n)d") % {"n": found.done}
        rows.append(
            f"{name}: "
            + _("due %(due)d, held %(held)d, %(done)s")
            % {"due": found.due, "held": found.held, "done": done}
        )
    return rows
