"""Routing: ordered rules give a report its team (and possibly its person) on arrival, and
again when its category or location changes. The first active rule that matches wins.

The functional administrator keeps the rules (create, change, switch off, reorder, delete);
team leads and intake officers hand reports on by hand (`report_assign`); team leads see the
open work per person of their team (`workload`). Every write appends its audit row in the
same transaction.

Handing a report on (`report_assign`, `report_route`) takes the actor and refuses on its own
(access.require, ADR 0027): not_found when they may not know the report, forbidden when their
role may not do it. Routing on arrival (`apply_rule`, in reports.services.report_create) is
Baken's own and checks nobody.
"""

import re
from dataclasses import dataclass, field

from django.db import connections, router, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from baken.accounts.models import Team, User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import Actor
from baken.core.refusals import Refused
from baken.core.roles import CAPABILITIES, Capability, Role
from baken.notifications.kinds import Kind as NotificationKind
from baken.notifications.services import notify
from baken.places.areas import area_for
from baken.places.models import RegisteredAddress

from . import process_cache
from .access import require
from .models import Category, Report, RoutingRule
from .permissions import Action
from .selectors import report_list
from .workflow import Status

# Who may be handed a report: the roles that work in the workspace.
WORKSPACE_ROLES = frozenset(
    role for role, capabilities in CAPABILITIES.items() if Capability.WORKSPACE in capabilities
)
# A postcode prefix stands for an area until areas exist: 1 to 4 digits, or a whole postcode.
_PREFIX = re.compile(r"[1-9]\d{0,3}|[1-9]\d{3}[A-Z]{1,2}")
RULE_FIELDS = (
    "name",
    "category",
    "channel",
    "postcode_prefix",
    "area",
    "team",
    "assignee",
    "is_active",
)


class RoutingRefused(Refused, ValueError):
    """A rule or an assignment that breaks a rule of the domain; `problems` maps field → why
    (a core.refusals.Refused: the API answers it without translating code, each field coded
    `invalid` as the routing endpoints always did)."""

    def __init__(self, problems: dict):
        super().__init__("invalid", problems=problems)

    def invalid_params(self) -> list[dict]:
        return [{**param, "code": "invalid"} for param in super().invalid_params()]


def report_point(report: Report) -> tuple[float, float] | None:
    """Where the report is: its own point, or else its address's in the address register."""
    if report.lat is not None and report.lon is not None:
        return report.lat, report.lon
    if not (report.postcode and report.house_number):
        return None
    # Hand-written (every new report with an address asks it, issue 18): the first of the
    # register's rows for this address in its own order, as `.first()` would take it.
    with connections[router.db_for_read(RegisteredAddress)].cursor() as cursor:
        cursor.execute(_ADDRESS_POINT, [report.postcode, report.house_number])
        found = cursor.fetchone()
    return (found[0], found[1]) if found and found[0] is not None and found[1] is not None else None


_ADDRESS_POINT = (
    f"SELECT lat, lon FROM {RegisteredAddress._meta.db_table} "  # noqa: S608
    "WHERE postcode = %s AND house_number = %s AND lat IS NOT NULL AND lon IS NOT NULL "
    "ORDER BY postcode, house_number, house_letter, addition LIMIT 1"
)


def _in_area(rule: RoutingRule, point: tuple[float, float] | None) -> bool:
    if point is None or rule.area is None:
        return False
    return area_for(*point, areas=[rule.area]) is not None


def rule_matches(
    rule: RoutingRule, report: Report, point: tuple[float, float] | None = None
) -> bool:
    return (
        (rule.category_id is None or rule.category_id == report.category_id)
        and (not rule.channel or rule.channel == report.channel)
        and (not rule.postcode_prefix or report.postcode.startswith(rule.postcode_prefix))
        and (rule.area_id is None or _in_area(rule, point))
    )


def rule_for(report: Report, rules: list[RoutingRule] | None = None) -> RoutingRule | None:
    """The rule that would route this report, or None (it then waits for the intake queue)."""
    if rules is None:
        rules = list(RoutingRule.objects.filter(is_active=True).select_related("area"))
    # The place is looked up once, and only when a rule asks for an area.
    point = report_point(report) if any(rule.area_id for rule in rules) else None
    return next((rule for rule in rules if rule_matches(rule, report, point)), None)


def apply_rule(report: Report) -> RoutingRule | None:
    """Set team and person from the matching rule on an unsaved or locked report."""
    rule = rule_for(report, process_cache.active_rules())
    if rule is not None:
        report.team_id = rule.team_id
        report.assignee_id = rule.assignee_id
    return rule


def report_route(*, report: Report, actor: Actor) -> Report:
    """Route again (after the category or location changed); logged with the rule used.

    Precondition: the caller holds the report's row lock, or this runs on its own. Refused
    unless the actor may improve the report (what changes its category or location).
    """
    require(actor, report, Action.IMPROVE)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        rule = rule_for(locked)
        if rule is None or (locked.team_id, locked.assignee_id) == (
            rule.team_id,
            rule.assignee_id,
        ):
            return locked
        assignee_before = locked.assignee_id
        locked.team_id, locked.assignee_id = rule.team_id, rule.assignee_id
        locked.save(update_fields=["team", "assignee"])
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_ROUTE,
            target=locked,
            detail={"rule": rule.pk, "team": rule.team_id, "assignee": rule.assignee_id},
        )
        if locked.assignee_id != assignee_before:  # a new team alone is no news to the person
            tell_assignee(locked, actor)
    return locked


# --- assignment by hand ---------------------------------------------------------------------


def check_assignee(*, team_id: int | None, assignee_id: int | None) -> None:
    """A person can only be handed work within their own team, and must work in the
    workspace (docs/product.md#roles). No team at all sends a report back to the intake queue."""
    if team_id is not None and not Team.objects.filter(pk=team_id).exists():
        raise RoutingRefused({"team": _("Choose a team from the list.")})
    if assignee_id is None:
        return
    if team_id is None:
        raise RoutingRefused({"team": _("Choose the team of the person.")})
    if not User.objects.filter(
        pk=assignee_id, team_id=team_id, is_active=True, role__in=WORKSPACE_ROLES
    ).exists():
        raise RoutingRefused({"assignee": _("This person does not work in the chosen team.")})


def report_assign(
    *, report: Report, actor: User, team_id: int | None, assignee_id: int | None
) -> Report:
    """A team lead (or intake officer) hands the report to a team and/or person.

    Refused (not_found, forbidden) unless the actor may see the report and assign it
    (access.require). An assignment that changes nothing writes nothing.
    """
    require(actor, report, Action.ASSIGN)
    check_assignee(team_id=team_id, assignee_id=assignee_id)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.merged_into_id is not None:
            raise RoutingRefused(
                {"report": _("A merged report follows its leading report; assign that one.")}
            )
        before = (locked.team_id, locked.assignee_id)
        if before == (team_id, assignee_id):
            return locked
        locked.team_id, locked.assignee_id = team_id, assignee_id
        locked.save(update_fields=["team", "assignee"])
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_ASSIGN,
            target=locked,
            detail={
                "team": team_id,
                "assignee": assignee_id,
                "from_team": before[0],
                "from_assignee": before[1],
            },
        )
        if assignee_id != before[1]:
            tell_assignee(locked, actor)
    return locked


def tell_assignee(report: Report, actor: Actor) -> None:
    """Notify the report's (new) person, in the caller's transaction."""
    if report.assignee_id is not None:
        notify(
            kind=NotificationKind.REPORT_ASSIGNED,
            users=[User.objects.get(pk=report.assignee_id)],
            object_id=report.pk,
            reference=report.reference,
            actor=actor,
        )


# --- the rules, kept by the functional administrator ----------------------------------------


def rule_list():
    """All rules in routing order, with what the list shows joined in (one query)."""
    return RoutingRule.objects.select_related("category", "area", "team", "assignee")


def normalise_prefix(value: str) -> str:
    """'1781 a' → '1781A'; raises RoutingRefused when it cannot start a Dutch postcode."""
    prefix = "".join(value.split()).upper()
    if prefix and not _PREFIX.fullmatch(prefix):
        raise RoutingRefused(
            {"postcode_prefix": _("Give the first digits of a postcode, e.g. 1781 or 17.")}
        )
    return prefix


def check_rule(rule: RoutingRule) -> None:
    """The conditions of a rule the database cannot check: the prefix, and that the person
    belongs to the team the rule routes to."""
    rule.postcode_prefix = normalise_prefix(rule.postcode_prefix)
    check_assignee(team_id=rule.team_id, assignee_id=rule.assignee_id)


def _save(rule: RoutingRule, actor: User, action: AuditAction, detail: dict) -> RoutingRule:
    check_rule(rule)
    rule.full_clean()
    with transaction.atomic():
        rule.save()
        audit_record(actor=actor, action=action, target=rule, detail=detail)
    return rule


def routing_rule_create(
    *,
    actor: User,
    position: int | None = None,
    placement: str = "above_catch_alls",
    **fields: object,
) -> RoutingRule:
    """A new rule goes above the catch-all rules (routing_preview.Placement), where it can
    fire, unless the caller chooses the top, the bottom or an explicit position."""
    from .routing_preview import routing_rule_create_at

    rule = RoutingRule(**{key: value for key, value in fields.items() if key in RULE_FIELDS})
    if position is not None:
        rule.position = position
        return _save(rule, actor, AuditAction.ROUTING_RULE_CREATE, {"team": rule.team_id})
    check_rule(rule)
    rule.full_clean(exclude=["position"])
    routing_rule_create_at(
        actor=actor, rule=rule, placement=placement, detail={"team": rule.team_id}
    )
    return rule


def routing_rule_update(*, actor: User, rule: RoutingRule, **fields: object) -> RoutingRule:
    names = [key for key in (*RULE_FIELDS, "position") if key in fields]
    changed = [name for name in names if getattr(rule, name) != fields[name]]
    for name in names:
        setattr(rule, name, fields[name])
    return _save(rule, actor, AuditAction.ROUTING_RULE_UPDATE, {"fields": changed})


def routing_rule_set_active(*, actor: User, rule: RoutingRule, active: bool) -> RoutingRule:
    with transaction.atomic():
        rule.is_active = active
        rule.save(update_fields=["is_active"])
        action = (
            AuditAction.ROUTING_RULE_ACTIVATE if active else AuditAction.ROUTING_RULE_DEACTIVATE
        )
        audit_record(actor=actor, action=action, target=rule)
    return rule


def routing_rule_delete(*, actor: User, rule: RoutingRule) -> None:
    """Reports keep the team they were given; only the rule goes."""
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.ROUTING_RULE_DELETE, target=rule)
        rule.delete()


def routing_rule_move(*, actor: User, rule: RoutingRule, offset: int) -> RoutingRule:
    """Move a rule `offset` places (-1: up, earlier; 1: down) and number all rules 1..n
    again, so that equal positions left by hand-made rules do not hide the order."""
    with transaction.atomic():
        rules = list(RoutingRule.objects.select_for_update().order_by("position", "pk"))
        index = next(i for i, r in enumerate(rules) if r.pk == rule.pk)
        target = max(0, min(len(rules) - 1, index + offset))
        rules.insert(target, rules.pop(index))
        renumbered = []
        for number, each in enumerate(rules, start=1):
            if each.position != number:
                each.position = number
                renumbered.append(each)
        RoutingRule.objects.bulk_update(renumbered, ["position"])
        process_cache.changed()  # bulk_update sends no post_save
        audit_record(
            actor=actor,
            action=AuditAction.ROUTING_RULE_MOVE,
            target=rule,
            detail={"from": index + 1, "to": target + 1},
        )
    return next(r for r in rules if r.pk == rule.pk)


def routing_rule_test(
    *,
    category: Category | None,
    channel: str,
    postcode: str = "",
    house_number: int | None = None,
) -> RoutingRule | None:
    """Which active rule would route a report like this (nothing is saved or logged)."""
    probe = Report(category=category, channel=channel, postcode=postcode, house_number=house_number)
    return rule_for(probe, list(rule_list().filter(is_active=True)))


# --- workload -------------------------------------------------------------------------------

OPEN_WORK = [
    Status.RECEIVED,
    Status.IN_TRIAGE,
    Status.AWAITING_REPORTER,
    Status.WEIGHED,
    Status.IN_ANALYSIS,
]


@dataclass
class WorkloadRow:
    person: User | None  # None: not assigned to anyone yet
    counts: dict[str, int] = field(default_factory=dict)
    in_team: bool = True

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[int]:
        return [self.counts.get(status, 0) for status in OPEN_WORK]


@dataclass
class Workload:
    team: Team | None
    rows: list[WorkloadRow]
    unassigned: WorkloadRow | None


def can_see_workload(user: User) -> bool:
    return user.can(Capability.WORKSPACE) and user.role in (Role.TEAM_LEAD, Role.ANALYST)


def workload(*, user: User) -> Workload:
    """Open reports per person, in two queries: the counts, and the people.

    Need-to-know: only the reports the user may see count (selectors.report_list). A team lead
    sees the work of their own team — per member, and what nobody holds yet; an analyst sees
    only their own numbers.
    """
    reports = report_list(user=user).select_related(None).prefetch_related(None)
    reports = reports.filter(status__in=OPEN_WORK, merged_into=None)
    lead = user.role == Role.TEAM_LEAD
    if not lead:
        reports = reports.filter(assignee=user)
    counts: dict[int | None, dict[str, int]] = {}
    for row in reports.order_by().values("assignee", "status").annotate(n=Count("pk")):
        counts.setdefault(row["assignee"], {})[row["status"]] = row["n"]
    # The people: a lead's team members (also those with nothing open) and whoever holds a
    # report of the team; an analyst only themselves.
    people = Q(pk__in=[pk for pk in counts if pk is not None])
    if lead:
        people |= Q(team=user.team_id, is_active=True, role__in=WORKSPACE_ROLES)
    else:
        people |= Q(pk=user.pk)
    rows = [
        WorkloadRow(
            person=person,
            counts=counts.get(person.pk, {}),
            in_team=person.team_id == user.team_id,
        )
        for person in User.objects.filter(people).order_by("first_name", "last_name", "username")
    ]
    unassigned = WorkloadRow(person=None, counts=counts.get(None, {})) if lead else None
    team = Team.objects.filter(pk=user.team_id).first() if lead and user.team_id else None
    return Workload(team=team, rows=rows, unassigned=unassigned)
