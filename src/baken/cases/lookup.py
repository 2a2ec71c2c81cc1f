"""Bounded look-ups for the case page's forms (issue 18, "no unbounded select lists"): whom to
add as a member of a case is searched by name, never chosen from a list of every active user of
the country. What is posted is still checked in full by the form and the service
(cases.views.member_add, services.member_add)."""

from django.db.models import Q

from baken.accounts.models import User
from baken.core.roles import CAPABILITIES, Capability

from .models import Case, CaseMember

MEMBER_FOUND_MAX = 20  # people offered to add as a member of a case
_SEARCH_MAX = 100
_WORDS_MAX = 4

# Who can be a member: an active user with the workspace (services.member_add).
_WORKSPACE_ROLES = [role for role, caps in CAPABILITIES.items() if Capability.WORKSPACE in caps]


def member_search(*, case: Case, query: str = "") -> tuple[list[User], bool]:
    """The people who may be added to `case` as a member: active workspace users who are not a
    current member. Without `query`, the case team's own people; with it, anyone whose name or
    user name holds every word typed (another team's too). At most MEMBER_FOUND_MAX, by name,
    and whether more matched: one query, however many users there are."""
    words = " ".join(query.split())[:_SEARCH_MAX].split()[:_WORDS_MAX]
    people = (
        User.objects.filter(is_active=True, role__in=_WORKSPACE_ROLES)
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
