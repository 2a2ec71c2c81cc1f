"""The main menu: each entry names the capability it needs, so every role sees only what it
may use. Later features add their entries here."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from baken.accounts.roles import Capability


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    capability: str


MENU = [
    NavItem("core:home", _("Home"), Capability.ACCOUNT),
    NavItem("accounts:users", _("Users"), Capability.MANAGE_USERS),
    NavItem("intake:categories", _("Categories"), Capability.CONFIGURE),
    NavItem("audit:log", _("Audit log"), Capability.AUDIT),
    NavItem("accounts:account", _("My account"), Capability.ACCOUNT),
]


def menu_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in MENU if user.can(item.capability)]
