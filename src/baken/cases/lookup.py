"""Bounded look-ups for the case page's forms (issue 18, "no unbounded select lists"): whom to
add as a member of a case is searched by name, never chosen from a list of every active user of
the country. What is posted is still checked in full by the form and the service
(cases.views.member_add, services.member_add)."""

import re

from django.db.models import Case as Choice
from django.db.models import IntegerField, Q, QuerySet, Value, When

from baken.accounts.models import User

from .models import Case, CaseMember
from .permissions import WORK_ROLES

MEMBER_FOUND_MAX = 20  # people offered to add as a member of a case
_SEARCH_MAX = 100
_WORDS_MAX = 4

# Whom the case page adds as a member: an active analyst, case handler or team lead, as before
# the search (the roles that work a case: permissions.may_work). An intake officer is not
# offered nor accepted there (page.member_form_for).
MEMBER_ROLES = sorted(WORK_ROLES)


def member_search(*, case: Case, query: str = "") -> tuple[list[User], bool]:
    """The people who may be added to `case` as a member: active users of MEMBER_ROLES who are
    not a current member. Without `query`, the case team's own people; with it, anyone whose
    name or user name holds every word typed (another team's too). At most MEMBER_FOUND_MAX, by
    name, and whether more matched: one query, however many users there are."""
    words = " ".join(query.split())[:_SEARCH_MAX].split()[:_WORDS_MAX]
    people = (
        User.objects.filter(is_active=True, role__in=MEMBER_ROLES)
        .exclude(
            pk__in=CaseMember.objects.filter(case=case, removed_at__isnull=True).values("user")
        )
        .select_related("team")
        .order_by("first_name", "last_name", "username")
    )
    if words:
        for word in words:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
            )
    else:
        people = people.filter(team=case.team_id)
    found = list(people[: MEMBER_FOUND_MAX + 1])
    return found[:MEMBER_FOUND_MAX], len(found) > MEMBER_FOUND_MAX


def person_label(person: User) -> str:
    """A person as the member list offers them: the name, and the team when it has one."""
    name = person.get_full_name() or person.username
    return f"{name} ({person.team.name})" if person.team_id and person.team else name


# --- cases, by number or title ----------------------------------------------------------------

CASES_MAX = 500  # the API's list of cases, at most


def case_search(cases: QuerySet[Case], query: str, limit: int) -> tuple[list[Case], bool]:
    """The cases of `cases` (already scoped to what the user may see: cases.selectors) whose
    case number or title holds `query`, an exact case number first, then the newest; at most
    `limit`, and whether more matched. Without `query`: the newest `limit`. A number typed in
    lower case or without its dashes is found too."""
    query = " ".join(query.split())[:_SEARCH_MAX]
    exact = None
    if query:
        matches = Q(title__icontains=query) | Q(reference__icontains=query)
        compact = re.sub(r"[^0-9A-Za-z]", "", query).upper()
        if re.fullmatch(r"Z[0-9A-Z]{8}", compact):
            exact = f"Z-{compact[1:5]}-{compact[5:]}"
            matches |= Q(reference=exact)
        cases = cases.filter(matches)
    first = Choice(
        When(reference=exact or "", then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    found = list(cases.order_by(first, "-opened_at")[: limit + 1])
    return found[:limit], len(found) > limit
