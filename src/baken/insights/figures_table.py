"""The dashboard's figures as rows (figure, label, value), for exports and the API.

Apart from figures.py because it uses the sections of both views (figures_sections.py and
management_figures.py), which are built on figures.py.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from baken.core.roles import Capability

from .figures import Params, may_see_management, params_from, team_figures
from .figures_sections import plain_sections
from .management_figures import management_sections

# Lazy: an export's headings follow its maker's language, not the one at import.
HEADERS = [_("Figure"), _("Label"), _("Value")]


def figures_table(*, user, params) -> tuple[list[str], list[list]]:
    """The figures this user may see as rows (figure, label, value): the team's for a team
    lead or analyst, the municipality's with small counts suppressed ("< 5", "x") for
    management. `params`: a Params, or GET-style parameters (a QueryDict or dict; ValueError
    naming the problem when not valid). PermissionDenied for everyone else."""
    if not isinstance(params, Params):
        parsed, form = params_from(params)
        if parsed is None:
            raise ValueError(form.errors.as_text())
        params = parsed
    if user.can(Capability.INSIGHTS):
        figures = team_figures(user=user, params=params)
        sections = plain_sections(figures) if figures is not None else []
    elif may_see_management(user):
        sections = management_sections(user=user, params=params)
    else:
        raise PermissionDenied
    rows: list[list] = []
    for section in sections:
        rows += [[str(section.title), label, value] for label, value in section.cells.items()]
        if section.total is not None:
            rows.append([str(section.title), str(_("Total")), section.total])
    return [str(header) for header in HEADERS], rows
