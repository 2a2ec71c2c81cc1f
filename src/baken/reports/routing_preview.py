"""Where a routing rule stands in the order, and which reports it would take.

A *catch-all* rule asks nothing about what a report is about — no category, no channel — so
it takes every report of its place (or every report at all, when it has no place either).
A rule below a catch-all that covers the same place never fires. That is why a new rule goes
above the catch-all rules unless the administrator chooses otherwise (issue 12, item 9).

The preview tries a rule, at the place it would have in the order, on the last 100 reports.
Need-to-know: a functional administrator keeps the rules of every team but may read no
report, so the preview gives counts per team and per category (no personal data), and a
report's reference only when the user may see that report (`selectors.report_list`).
A place smaller than a postcode's four digits is a few streets or one: there a count with a
category says what was reported about those addresses, so someone who may not see every
report the rule fits gets the rule's place in the order and no counts (`counts_hidden`).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.places.models import RegisteredAddress

from .models import Report, RoutingRule
from .routing import rule_matches
from .selectors import report_list

PREVIEW_SIZE = 100
# The longest postcode prefix (a neighbourhood: "1781") whose counts anybody may see.
COUNTED_PREFIX = 4


class Placement(models.TextChoices):
    ABOVE_CATCH_ALLS = "above_catch_alls", gettext_lazy("Above the catch-all rules (advised)")
    FIRST = "first", gettext_lazy("At the top: tried before every other rule")
    LAST = "last", gettext_lazy("At the bottom: tried after every other rule")


def is_catch_all(rule: RoutingRule) -> bool:
    """A rule that takes every report of its place, whatever the report is about."""
    return rule.category_id is None and not rule.channel


def _ordered(exclude: int | None = None) -> list[RoutingRule]:
    rules = RoutingRule.objects.select_related("area", "team").order_by("position", "pk")
    return list(rules.exclude(pk=exclude) if exclude else rules)


def _overlap(a: RoutingRule, b: RoutingRule) -> bool:
    """Whether some report could fit the place conditions of both rules."""
    prefixes = a.postcode_prefix.startswith(b.postcode_prefix) or b.postcode_prefix.startswith(
        a.postcode_prefix
    )
    return prefixes and (a.area_id is None or b.area_id is None or a.area_id == b.area_id)


def _narrower(new: RoutingRule, rule: RoutingRule) -> bool:
    """Whether `new`'s place lies within `rule`'s and is not the same place."""
    within = new.postcode_prefix.startswith(rule.postcode_prefix) and (
        rule.area_id is None or rule.area_id == new.area_id
    )
    same = (new.postcode_prefix, new.area_id) == (rule.postcode_prefix, rule.area_id)
    return within and not same


def hides(rule: RoutingRule, new: RoutingRule) -> bool:
    """Whether the active catch-all `rule`, above `new`, would take reports `new` is meant
    for: it covers part of `new`'s place, and `new` asks more (a category or channel, or a
    smaller place). A new catch-all for a wider place is a fallback and goes below."""
    if not (rule.is_active and is_catch_all(rule) and _overlap(rule, new)):
        return False
    return not is_catch_all(new) or _narrower(new, rule)


def insertion_index(rules: list[RoutingRule], new: RoutingRule, placement: str) -> int:
    """Where in `rules` (in order) a new rule goes: by default above the first catch-all that
    would otherwise take its reports, else last."""
    if placement == Placement.FIRST:
        return 0
    if placement == Placement.LAST:
        return len(rules)
    return next((i for i, rule in enumerate(rules) if hides(rule, new)), len(rules))


def rule_insert(rule: RoutingRule, placement: str) -> None:
    """Save a new rule at its place and number all rules 1..n again.

    Precondition: the caller runs this inside `transaction.atomic()`; the rules are locked here
    so that two rules added at once do not take the same place.
    """
    rules = list(RoutingRule.objects.select_for_update().order_by("position", "pk"))
    rules.insert(insertion_index(rules, rule, placement), rule)
    rule.position = 0
    rule.save()
    renumbered = []
    for number, each in enumerate(rules, start=1):
        if each.position != number:
            each.position = number
            renumbered.append(each)
    RoutingRule.objects.bulk_update(renumbered, ["position"])


@dataclass
class Landing:
    """Where a rule stands: its number, the rule just above and just below it."""

    number: int
    total: int
    above: RoutingRule | None
    below: RoutingRule | None
    order: list[RoutingRule] = field(default_factory=list)


def landing(rule: RoutingRule, placement: str = Placement.ABOVE_CATCH_ALLS) -> Landing:
    """The order with `rule` in it: a saved rule at its own place, a new one by `placement`."""
    others = _ordered(exclude=rule.pk)
    if rule.pk:
        index = sum(1 for other in others if (other.position, other.pk) < (rule.position, rule.pk))
    else:
        index = insertion_index(others, rule, placement)
    order = [*others[:index], rule, *others[index:]]
    return Landing(
        number=index + 1,
        total=len(order),
        above=others[index - 1] if index else None,
        below=others[index] if index < len(others) else None,
        order=order,
    )


@dataclass
class Preview:
    considered: int
    taken: int
    # True: the place is too small to count for this user; taken is 0 and nothing is counted.
    counts_hidden: bool = False
    # Reports the rule fits but an earlier rule takes, by that rule's name.
    taken_earlier: Counter = field(default_factory=Counter)
    now_with: Counter = field(default_factory=Counter)  # team name (or the intake queue)
    categories: Counter = field(default_factory=Counter)
    references: list[str] = field(default_factory=list)

    # Sorted (name, count) pairs for the template: a Counter there answers 0 to any lookup.
    def teams(self) -> list[tuple[str, int]]:
        return self.now_with.most_common()

    def category_counts(self) -> list[tuple[str, int]]:
        return self.categories.most_common()

    def earlier_rules(self) -> list[tuple[str, int]]:
        return self.taken_earlier.most_common()


def _points(reports: list[Report]) -> dict[int, tuple[float, float]]:
    """Each report's place, its own point or its address's, in one query for all."""
    points: dict[int, tuple[float, float]] = {}
    for r in reports:
        if r.lat is not None and r.lon is not None:
            points[r.pk] = (r.lat, r.lon)
    postcodes = {r.postcode for r in reports if r.pk not in points and r.postcode}
    if postcodes:
        found: dict[tuple[str, int | None], tuple[float, float]] = {}
        for a in RegisteredAddress.objects.filter(
            postcode__in=postcodes, lat__isnull=False, lon__isnull=False
        ).only("postcode", "house_number", "lat", "lon"):
            if a.lat is not None and a.lon is not None:
                found[(a.postcode, a.house_number)] = (a.lat, a.lon)
        for report in reports:
            point = found.get((report.postcode, report.house_number))
            if report.pk not in points and point is not None:
                points[report.pk] = point
    return points


def rule_preview(*, user, rule: RoutingRule, placement: str = Placement.ABOVE_CATCH_ALLS):
    """What `rule`, at its place in the order, would do with the last 100 reports (not merged).

    Nothing is saved and no report is read: only counts, and references of reports `user`
    may see anyway.
    """
    order = [r for r in landing(rule, placement).order if r is rule or r.is_active]
    reports = list(
        Report.objects.filter(merged_into=None)
        .select_related("category", "team")
        .order_by("-received_at", "-pk")[:PREVIEW_SIZE]
    )
    points = _points(reports) if any(r.area_id for r in order) else {}
    preview = Preview(considered=len(reports), taken=0)
    taken_ids, fitting = [], []
    for report in reports:
        if not rule_matches(rule, report, points.get(report.pk)):
            continue
        fitting.append(report.pk)
        first = next(r for r in order if rule_matches(r, report, points.get(report.pk)))
        if first is not rule:
            preview.taken_earlier[first.name] += 1
            continue
        preview.taken += 1
        taken_ids.append(report.pk)
        preview.now_with[report.team.name if report.team else _("the intake queue")] += 1
        preview.categories[report.category.name if report.category else _("no category")] += 1
    if len(rule.postcode_prefix) > COUNTED_PREFIX and fitting:
        seen = report_list(user=user).filter(pk__in=fitting).count()
        if seen < len(fitting):
            return Preview(considered=len(reports), taken=0, counts_hidden=True)
    visible = report_list(user=user).filter(pk__in=taken_ids).values_list("reference", flat=True)
    preview.references = sorted(visible)
    return preview


def routing_rule_create_at(*, actor, rule: RoutingRule, placement: str, detail: dict) -> None:
    """Used by routing.routing_rule_create: insert and audit in one transaction."""
    with transaction.atomic():
        rule_insert(rule, placement)
        audit_record(
            actor=actor, action=AuditAction.ROUTING_RULE_CREATE, target=rule, detail=detail
        )
