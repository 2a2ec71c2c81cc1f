"""The kinds of notification, in one table: what the sentence says, where its link goes and
whether e-mail is on before a user chooses (docs/notifications.md).

The sentence is neutral on purpose: it is the whole of the e-mail (with a link), and the
in-app list shows it to someone who may no longer see the object (ADR 0017). Imports nothing
of Baken: the apps that raise these events sit above this one.
"""

from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPORT_ASSIGNED = "report_assigned", _("A report was assigned to me")
    REPORTER_ANSWERED = "reporter_answered", _("A reporter answered (my question or my report)")
    CONSULTATION_REQUESTED = (
        "consultation_requested",
        _("Source research waits for the privacy officer"),
    )
    CASE_MEMBER = "case_member", _("I was added to a case")
    TASK_DUE = "task_due", _("A task of mine is due")


@dataclass(frozen=True)
class KindSpec:
    sentence: Promise
    url_name: str
    # The link needs the object's id (a report, a case) or goes to a list (no id).
    with_id: bool
    email_default: bool


SPECS: dict[str, KindSpec] = {
    Kind.REPORT_ASSIGNED: KindSpec(
        _("A report was assigned to you."), "reports:detail", True, email_default=True
    ),
    Kind.REPORTER_ANSWERED: KindSpec(
        _("A reporter sent a message about a report you work on."),
        "reports:detail",
        True,
        email_default=True,
    ),
    Kind.CONSULTATION_REQUESTED: KindSpec(
        _("A request for source research is waiting for your decision."),
        "cases:consultation_queue",
        False,
        email_default=True,
    ),
    # Usually said in person when it happens: in the app only, unless chosen.
    Kind.CASE_MEMBER: KindSpec(
        _("You were added to a case."), "cases:detail", True, email_default=False
    ),
    Kind.TASK_DUE: KindSpec(
        _("You have tasks that are due or overdue."), "cases:my_tasks", False, email_default=True
    ),
}


def path_of(kind: str, object_id: int | None) -> str:
    spec = SPECS[kind]
    return reverse(spec.url_name, args=[object_id] if spec.with_id else [])
