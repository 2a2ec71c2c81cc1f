"""The main menu: each entry names the capability it needs, so every role sees only what it
may use. Later features add their entries here."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baken.core.roles import Capability, Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    capability: str
    # Empty: every role with the capability; otherwise only these roles (a narrower need).
    roles: frozenset[str] = frozenset()


MENU = [
    NavItem("core:home", _("Home"), Capability.ACCOUNT),
    NavItem("reports:inbox", _("Inbox"), Capability.WORKSPACE),
    NavItem("reports:workload", _("Workload"), Capability.WORKSPACE, frozenset({Role.TEAM_LEAD})),
    NavItem("cases:list", _("Cases"), Capability.WORKSPACE),
    NavItem("cases:my_tasks", _("My tasks"), Capability.WORKSPACE),
    NavItem("subjects:map", _("Map"), Capability.WORKSPACE),
    NavItem("insights:dashboard", _("Dashboard"), Capability.INSIGHTS),
    # The trainings the team gives and what they bring (issue 17).
    NavItem("awareness:home", _("Awareness"), Capability.INSIGHTS),
    NavItem("insights:management", _("Figures"), Capability.AGGREGATES),
    # No role has both: each reader sees the entry once.
    NavItem("insights:overview", _("Weekly overview"), Capability.INSIGHTS),
    NavItem("insights:overview", _("Weekly overview"), Capability.AGGREGATES),
    NavItem("exports:list", _("Exports"), Capability.WORKSPACE),
    # Management exports figures only (exports/figures.py).
    NavItem("exports:list", _("Exports"), Capability.AGGREGATES),
    NavItem("accounts:users", _("Users"), Capability.MANAGE_USERS),
    NavItem("intake:categories", _("Categories"), Capability.CONFIGURE),
    NavItem("awareness:departments", _("Departments"), Capability.CONFIGURE),
    NavItem("awareness:practice_admin", _("Practice scenarios"), Capability.CONFIGURE),
    NavItem("reports:criteria", _("Weighing criteria"), Capability.CONFIGURE),
    NavItem("reports:routing_rules", _("Routing rules"), Capability.CONFIGURE),
    NavItem("cases:case_types", _("Case types"), Capability.CONFIGURE),
    NavItem(
        "core:system_status", _("System status"), Capability.CONFIGURE, frozenset({Role.ADMIN})
    ),
    NavItem("audit:log", _("Audit log"), Capability.AUDIT),
    NavItem("oversight:flags", _("Access review"), Capability.AUDIT),
    # The privacy officer approves, the functional administrator proposes; no role has both.
    NavItem("privacy:overview", _("Retention and destruction"), Capability.RETENTION),
    NavItem("privacy:overview", _("Retention and destruction"), Capability.CONFIGURE),
    # A team lead places and lifts legal holds on their own team's reports and cases.
    NavItem(
        "privacy:overview",
        _("Retention and destruction"),
        Capability.WORKSPACE,
        frozenset({Role.TEAM_LEAD}),
    ),
    NavItem("cases:consultation_queue", _("Source research"), Capability.AUDIT),
    # The registers (issue 16): the sharing register is the privacy officer's; the processing
    # register the functional administrator reads too (no role has both).
    NavItem("registers:sharing", pgettext_lazy("menu", "Sharing register"), Capability.AUDIT),
    NavItem("registers:processing", _("Processing register"), Capability.AUDIT),
    NavItem("registers:processing", _("Processing register"), Capability.CONFIGURE),
    NavItem("rights:list", _("Requests of data subjects"), Capability.RIGHTS),
    NavItem("accounts:account", _("My account"), Capability.ACCOUNT),
]


def menu_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [
        item
        for item in MENU
        if user.can(item.capability) and (not item.roles or user.role in item.roles)
    ]
