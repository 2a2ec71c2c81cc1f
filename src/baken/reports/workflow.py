"""The report's states and the transitions allowed between them (docs/product.md#report-states).

This module imports nothing of Baken: it is the table, nothing else.
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_TRIAGE = "in_triage", _("In triage")
    AWAITING_REPORTER = "awaiting_reporter", _("Awaiting the reporter")
    WEIGHED = "weighed", _("Weighed")
    NO_ACTION = "no_action", _("No action")
    REFERRED = "referred", _("Referred")
    FORWARDED = "forwarded", _("Forwarded")
    IN_ANALYSIS = "in_analysis", _("In analysis")
    LINKED_TO_CASE = "linked_to_case", _("Linked to a case")


# The triage queue: the states before and at the weighing (model protocol stages 1 and 2).
# The inbox shows these unless the user chooses other states.
QUEUE = (Status.RECEIVED, Status.IN_TRIAGE, Status.AWAITING_REPORTER, Status.WEIGHED)
# The states a weighed decision may be taken in. Waiting for the reporter's answer is one:
# the team may decide without the answer, saying why (the report first returns to triage).
DECIDABLE = (Status.RECEIVED, Status.IN_TRIAGE, Status.AWAITING_REPORTER, Status.WEIGHED)

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.IN_TRIAGE}),
    Status.IN_TRIAGE: frozenset({Status.AWAITING_REPORTER, Status.WEIGHED}),
    Status.AWAITING_REPORTER: frozenset({Status.IN_TRIAGE}),
    Status.WEIGHED: frozenset(
        {Status.NO_ACTION, Status.REFERRED, Status.FORWARDED, Status.IN_ANALYSIS}
    ),
    Status.NO_ACTION: frozenset(),
    Status.REFERRED: frozenset(),
    Status.FORWARDED: frozenset(),
    Status.IN_ANALYSIS: frozenset({Status.LINKED_TO_CASE}),
    Status.LINKED_TO_CASE: frozenset(),
}

# What a reporter is told: plain Dutch, never the team's internal state or its reasons.
PUBLIC_STATUS: dict[str, "StrOrPromise"] = {
    Status.RECEIVED: _("Your report has been received and will be looked at soon."),
    Status.IN_TRIAGE: _("Your report is being assessed."),
    Status.AWAITING_REPORTER: _("We have a question for you. Please answer it below."),
    Status.WEIGHED: _("Your report has been assessed."),
    Status.NO_ACTION: _("Your report has been assessed. No further action will follow for now."),
    Status.REFERRED: _("Your report has been passed on to the right authority."),
    Status.FORWARDED: _("Your report has been passed on to a partner organisation."),
    Status.IN_ANALYSIS: _("Your report is being investigated further."),
    Status.LINKED_TO_CASE: _("Your report is being investigated further."),
}


# The state a reporter's app may show: as coarse as the texts above, so that no code tells
# more than its text (a case, for one, is never revealed).
PUBLIC_STATE: dict[str, str] = {
    Status.RECEIVED: "received",
    Status.IN_TRIAGE: "in_progress",
    Status.AWAITING_REPORTER: "question",
    Status.WEIGHED: "assessed",
    Status.NO_ACTION: "closed",
    Status.REFERRED: "passed_on",
    Status.FORWARDED: "passed_on",
    Status.IN_ANALYSIS: "in_progress",
    Status.LINKED_TO_CASE: "in_progress",
}


# The reasons Baken itself gives for a transition. Stored in English and translated when
# shown; a reason a person typed is shown as typed (never looked up in the catalogue).
REASON_ANSWERED = gettext_noop("The reporter answered.")
REASON_CRITERIA = gettext_noop("All mandatory weighing criteria answered.")
REASON_QUESTION = gettext_noop("Question to the reporter.")
REASON_TRIAGE = gettext_noop("Triage started.")
REASON_NO_ANSWER = gettext_noop("No answer from the reporter within the answer period.")
SYSTEM_REASONS = frozenset(
    {REASON_ANSWERED, REASON_CRITERIA, REASON_QUESTION, REASON_TRIAGE, REASON_NO_ANSWER}
)


def can_transition(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())
