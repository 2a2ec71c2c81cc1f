"""Roles and what each may use (need-to-know, docs/product.md#roles).

The capability table is the single place that says which role may open which part of Baken;
navigation, views and the API all ask it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INTAKE = "intake", _("Intake officer")
    ANALYST = "analyst", _("Analyst")
    CASE_HANDLER = "case_handler", _("Case handler")
    TEAM_LEAD = "team_lead", _("Team lead")
    MANAGEMENT = "management", _("Management")
    ADMIN = "admin", _("Functional administrator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")


class Capability(models.TextChoices):
    ACCOUNT = "account", _("Own account")
    WORKSPACE = "workspace", _("Workspace")
    INSIGHTS = "insights", _("Insights")
    AGGREGATES = "aggregates", _("Aggregated figures")
    CONFIGURE = "configure", _("Configuration")
    MANAGE_USERS = "manage_users", _("Users and teams")
    AUDIT = "audit", _("Audit log")
    RETENTION = "retention", _("Retention")
    # The rights of the people named (AVG art. 15-21) and the review of access (issue 16).
    RIGHTS = "rights", _("Requests of data subjects")


_EVERYONE = {Capability.ACCOUNT}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.INTAKE: frozenset(_EVERYONE | {Capability.WORKSPACE}),
    Role.ANALYST: frozenset(_EVERYONE | {Capability.WORKSPACE, Capability.INSIGHTS}),
    Role.CASE_HANDLER: frozenset(_EVERYONE | {Capability.WORKSPACE}),
    Role.TEAM_LEAD: frozenset(_EVERYONE | {Capability.WORKSPACE, Capability.INSIGHTS}),
    Role.MANAGEMENT: frozenset(_EVERYONE | {Capability.AGGREGATES}),
    Role.ADMIN: frozenset(_EVERYONE | {Capability.CONFIGURE, Capability.MANAGE_USERS}),
    Role.PRIVACY_OFFICER: frozenset(
        _EVERYONE | {Capability.AUDIT, Capability.RETENTION, Capability.RIGHTS}
    ),
}


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, frozenset())
