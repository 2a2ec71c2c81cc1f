"""How rules and runs read for people (the page, the command's output)."""

from django.utils.translation import gettext as _


def line_rows(lines) -> list[str]:
    """One line of text per rule: its name and version, the period, and the counts."""
    rows = []
    for line in lines:
        rule, found = line.rule, line.found
        name = f"{rule.label} ({_('version')} {rule.version}, {rule.period})"
        if found.destroys:
            done = _("destroyed: %(n)d") % {"n": found.done}
        else:
            done = _("listed: %(n)d") % {"n": found.done}
        if found.listed:
            done += ", " + _("put on the destruction list: %(n)d") % {"n": found.listed}
        rows.append(
            f"{name}: "
            + _("due %(due)d, held %(held)d, %(done)s")
            % {"due": found.due, "held": found.held, "done": done}
        )
    return rows
