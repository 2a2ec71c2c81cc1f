"""Audit entries as a privacy officer reads them: names instead of ids, labels instead of
codes, details as "label: value" lines, and a link to the object where the reader may see it.

A page of entries costs a fixed number of queries: one for the users, one for the teams the
details name, and one per kind of linkable object (fewer when the reader may see none).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from baken.accounts.models import Team, User
from baken.audit import labels
from baken.audit.models import AuditEntry
from baken.cases.selectors import case_list
from baken.core import dates
from baken.core.roles import Role
from baken.reports.selectors import report_list
from baken.subjects.selectors import subject_list

ALL = "*"

DETAILS = {
    "action": _("Action"),
    "actor_id": _("User"),
    "answer": _("Answer"),
    "api": _("Through the API"),
    "approved": _("Approved"),
    "assignee": _("Assigned to"),
    "attachment": _("Attachment"),
    "bytes": _("Size in bytes"),
    "categories": _("Categories"),
    "channel": _("Channel"),
    "choice": _("Choice"),
    "codes": _("Codes"),
    "consultation": _("Consultation"),
    "consultations": _("Consultations"),
    "count": _("Number"),
    "created": _("New"),
    "criterion": _("Criterion"),
    "decision": _("Decision"),
    "depth": _("Depth"),
    "digest": _("Fingerprint"),
    "examples": _("Examples"),
    "failure": _("Reason of the failure"),
    "fields": _("Fields"),
    "filters": _("Filters"),
    "first": _("From"),
    "form": _("Form"),
    "format": _("File format"),
    "from": _("From"),
    "from_assignee": _("Previously assigned to"),
    "from_team": _("Previous team"),
    "handover": _("Hand-over"),
    "hit": _("Hit"),
    "id": _("Item number"),
    "ids": _("Item numbers"),
    "intervention": _("Intervention"),
    "into": _("Into"),
    "judgement": _("Judgement"),
    "kind": _("Kind"),
    "last": _("Until"),
    "legal_basis": _("Legal basis"),
    "legal_basis_before": _("Legal basis before"),
    "link": _("Link"),
    "membership": _("Membership"),
    "merge_into": _("Merged into"),
    "merged": _("Merged report"),
    "message": _("Message"),
    "new": _("New report"),
    "note": _("Note"),
    "notes": _("Notes"),
    "notice": _("Notice"),
    "object_id": _("Object number"),
    "object_type": _("Object type"),
    "other": _("Other report"),
    "parts": _("Parts shown"),
    "reason": _("Reason"),
    "rebuilt": _("Made again"),
    "removed": _("Removed"),
    "report": _("Report"),
    "report_subject": _("Named subject"),
    "reports": _("Reports"),
    "responsible": _("Responsible"),
    "responsible_before": _("Responsible before"),
    "review": _("Review"),
    "role": _("Role"),
    "rows": _("Rows"),
    "rule": _("Routing rule"),
    "second_factor": _("Second factor"),
    "since": _("From"),
    "source": _("Source"),
    "split_from": _("Split off"),
    "state": _("State"),
    "subject": _("Subject"),
    "subjects": _("Subjects"),
    "task": _("Task"),
    "tasks": _("Tasks"),
    "team": _("Team"),
    "to": _("To"),
    "until": _("Until"),
    "user": _("User"),
    "version": _("Version"),
    "week": _("Week"),
}
USER_KEYS = {"actor_id", "user", "assignee", "from_assignee"}
TEAM_KEYS = {"team", "from_team"}


@dataclass
class Shown:
    entry: AuditEntry
    actor: str
    role: str
    action: str
    object: str
    link: str = ""
    link_text: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)


def entries_shown(*, user, entries: Iterable[AuditEntry]) -> list[Shown]:
    """The entries as the reader (`user`) reads them. Links only to what `user` may see."""
    entries = list(entries)
    user_ids, team_ids = _named_ids(entries)
    people = {u.pk: u for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    teams = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name")) if team_ids else {}
    links = _links(user, entries)
    return [
        Shown(
            entry=entry,
            actor=_person(entry.actor_id, entry.actor_role, people),
            role=labels.role_label(entry.actor_role),
            action=labels.action_label(entry.action),
            object=object_text(entry.object_type, entry.object_id),
            link=links.get((entry.object_type, entry.object_id), ("", ""))[0],
            link_text=links.get((entry.object_type, entry.object_id), ("", ""))[1],
            details=[
                (_detail_label(key), _value(key, value, people, teams))
                for key, value in (entry.detail or {}).items()
            ],
        )
        for entry in entries
    ]


def object_text(object_type: str, object_id: str) -> str:
    if not object_type:
        return ""
    name = labels.object_type_label(object_type)
    if object_id == ALL:
        return _g("%(type)s (list)") % {"type": name}
    return f"{name} {object_id}".strip()


def person_text(person: User | None, pk: int | None, role: str) -> str:
    if pk is None:
        return labels.role_label(role)
    if person is None:
        return _g("Removed or unknown user (number %(pk)s)") % {"pk": pk}
    full = person.get_full_name()
    return f"{full} ({person.username})" if full else person.username


def _person(pk: int | None, role: str, people: dict) -> str:
    return person_text(people.get(pk), pk, role)


def _named_ids(entries: list[AuditEntry]) -> tuple[set[int], set[int]]:
    users = {e.actor_id for e in entries if e.actor_id is not None}
    teams: set[int] = set()
    for entry in entries:
        for key, value in (entry.detail or {}).items():
            if isinstance(value, int) and not isinstance(value, bool):
                if key in USER_KEYS:
                    users.add(value)
                elif key in TEAM_KEYS:
                    teams.add(value)
    return users, teams


def _detail_label(key: str) -> str:
    label = DETAILS.get(key)
    return str(label) if label is not None else key.replace("_", " ").capitalize()


def _value(key: str, value, people: dict, teams: dict) -> str:  # noqa: C901 (one table)
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _g("yes") if value else _g("no")
    if isinstance(value, int) and key in USER_KEYS:
        return _person(value, "", people)
    if isinstance(value, int) and key in TEAM_KEYS:
        return teams.get(value) or _g("Removed or unknown team (number %(pk)s)") % {"pk": value}
    if key == "parts" and isinstance(value, list):
        return ", ".join(labels.part_label(str(part)) for part in value)
    if key == "role":
        return labels.role_label(str(value))
    if key == "action":
        return labels.action_label(str(value))
    if key == "object_type":
        return labels.object_type_label(str(value))
    if isinstance(value, list):
        return ", ".join(_value("", item, people, teams) for item in value)
    if dates.is_moment_text(value):
        return dates.long(value)
    return str(value)


# Where an entry's object can be opened, and who may: (url name, text, ids the reader may see).
# Each app's own selector decides; the audit log pages sit above the apps whose objects they name.
def _reports(user, ids: list[int]) -> list[int]:
    return list(report_list(user=user).filter(pk__in=ids).values_list("pk", flat=True))


def _subjects(user, ids: list[int]) -> list[int]:
    return list(subject_list(user=user).filter(pk__in=ids).values_list("pk", flat=True))


def _cases(user, ids: list[int]) -> list[int]:
    return list(case_list(user=user).filter(pk__in=ids).values_list("pk", flat=True))


def _reviewable_cases(user, ids: list[int]) -> list[int]:
    # The privacy officer sees a case only by review, giving a reason (cases.selectors); the
    # review form asks for the reason first and shows nothing of a case before it.
    return ids if user.role == Role.PRIVACY_OFFICER else []


def _link_rules() -> dict[str, list[tuple[str, object, Callable[..., list[int]]]]]:
    return {
        "reports.report": [("reports:detail", _("Open the report"), _reports)],
        "subjects.subject": [("subjects:detail", _("Open the subject"), _subjects)],
        "cases.case": [
            ("cases:detail", _("Open the case"), _cases),
            ("cases:review", _("Review with a reason"), _reviewable_cases),
        ],
    }


def _links(user, entries: list[AuditEntry]) -> dict[tuple[str, str], tuple[str, str]]:
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.object_id.isdigit():
            wanted.setdefault(entry.object_type, set()).add(int(entry.object_id))
    links: dict[tuple[str, str], tuple[str, str]] = {}
    for object_type, rules in _link_rules().items():
        open_ids = set(wanted.get(object_type, ()))
        for url_name, text, visible in rules:
            if not open_ids:
                break
            for pk in visible(user, sorted(open_ids)):
                links[(object_type, str(pk))] = (reverse(url_name, args=[pk]), str(text))
                open_ids.discard(pk)
    return links
