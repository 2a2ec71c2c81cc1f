"""What each workspace role may do with a report it can see (docs/product.md#roles).

Seeing is decided by the selectors; this table decides doing. Both are asked by the HTML views
and the API alike.
"""

from django.db import models

from baken.core.roles import Role


class Action(models.TextChoices):
    IMPROVE = "improve"  # check, supplement, improve the working version
    NOTE = "note"
    ASK = "ask"  # a question to the reporter
    WEIGH = "weigh"  # answer weighing criteria
    DECIDE = "decide"
    ASSIGN = "assign"  # hand to a team or person
    LINK = "link"  # judge related reports
    MERGE = "merge"  # merge and split duplicates
    CASE = "case"  # open a case from a report in further analysis


_TRIAGE = {Action.IMPROVE, Action.NOTE, Action.ASK}

ALLOWED: dict[str, frozenset[str]] = {
    # The intake officer checks, supplements and assigns (docs/product.md#roles); linking
    # reports and subjects is interpretation, the analyst's.
    Role.INTAKE: frozenset(_TRIAGE | {Action.ASSIGN}),
    # The analyst interprets: weighs, decides, links, merges.
    Role.ANALYST: frozenset(
        _TRIAGE | {Action.WEIGH, Action.DECIDE, Action.LINK, Action.MERGE, Action.CASE}
    ),
    Role.CASE_HANDLER: frozenset({Action.NOTE}),
    # The team lead assigns and closes, and may do all an analyst does.
    Role.TEAM_LEAD: frozenset(set(Action.values)),
}


def can(user, action: str) -> bool:
    return bool(user.is_authenticated and action in ALLOWED.get(user.role, frozenset()))
