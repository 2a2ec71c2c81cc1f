"""What the codes in the audit log mean, in words a privacy officer reads.

The log itself keeps codes (`report.read`, `privacy_officer`, `reports.report`): they are
stable, machine-readable and part of the hash chain. This module is the one place that turns
them into labels. The actions and their labels are one registry,
`baken.audit.actions.AuditAction`: the only actions `audit_record` accepts.
"""

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from baken.core.roles import Role

from .actions import AuditAction
from .services import PUBLIC_ROLE, SYSTEM_ROLE

ROLES: dict[str, Promise] = {
    **{role.value: role.label for role in Role},
    PUBLIC_ROLE: _("Public (reporter)"),
    SYSTEM_ROLE: _("Baken itself"),
}

# Object types that are no model: a list ("*") or a search.
OBJECT_TYPES: dict[str, Promise] = {
    "insights.figures": _("figures"),
    "subjects.search": _("search"),
    "audit.day": _("day of the audit log"),
    "registers.sharing": _("sharing register"),
    "registers.processing": _("processing register"),
}

# Models that moved to another app (issue 14). The entries logged before the move keep the
# old code (the chain is never rewritten); they read, and are found, as the model's code now.
MOVED_TYPES: dict[str, str] = {
    f"intake.{model}": f"reports.{model}"
    for model in (
        "category",
        "indicator",
        "question",
        "receipt",
        "reportercontact",
        "attachment",
        "message",
    )
}


def current_type(code: str) -> str:
    """The object type's code now: `intake.attachment` is `reports.attachment`."""
    return MOVED_TYPES.get(code, code)


def codes_of(code: str) -> list[str]:
    """Every code the log may keep for this object type: its own and its codes before a move."""
    return [code, *(old for old, new in MOVED_TYPES.items() if new == code)]


# The parts of a page one read entry lists (see audit/page_views.py).
PARTS: dict[str, Promise] = {
    "data": _("details"),
    "versions": _("versions"),
    "attachments": _("attachments"),
    "notes": _("notes"),
    "messages": _("messages with the reporter"),
    "history": _("status history"),
    "weighing": _("weighing"),
    "decisions": _("decisions"),
    "suggestion": _("category suggestion"),
    "subjects": _("subjects"),
    "related": _("related reports"),
    "relations": _("relations"),
    "reports": _("reports naming the subject"),
    "merged": _("merged subjects"),
    "timeline": _("timeline"),
    "places": _("places"),
    "cases": _("cases"),
    "contact_form": _("the form to open the reporter's contact details"),
    "correct": _("the correction form of a request of a data subject"),
}


def action_label(code: str) -> str:
    """The label of an action code; a code no longer in the registry (an old entry) as is."""
    try:
        return str(AuditAction(code).label)
    except ValueError:
        return code


def role_label(code: str) -> str:
    label = ROLES.get(code)
    return str(label) if label is not None else (code or "—")


def object_type_label(code: str) -> str:
    if code in OBJECT_TYPES:
        name = str(OBJECT_TYPES[code])
    else:
        try:
            model = apps.get_model(current_type(code))
        except (LookupError, ValueError):
            return code
        name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def part_label(code: str) -> str:
    label = PARTS.get(code)
    return str(label) if label is not None else code
