"""The weekly overview (issue 7): building a week's snapshot, and subscribing to the e-mail.

A week's snapshot holds figures only — counts per team and overall, hotspots by address,
area and subject id, trends and overdue work — never report content. What a reader sees of
it, and which reports are listed, is decided when they read it (overview_scope.py).
"""

import hashlib
import json
from collections import defaultdict
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.awareness.figures import week_firsts, week_trainings
from baken.core.actors import SYSTEM, Actor
from baken.core.roles import Capability

from . import overview_figures as figures
from .models import OverviewSubscription, WeeklyOverview
from .overview_week import Week, WeekError


class OverviewRefused(ValueError):
    """A week that cannot be built (yet), or a subscription that is not allowed."""


def _empty_section() -> dict:
    return {
        "reports": {"total": 0, "by_category": {}},
        "decisions": {"reports": {}, "cases": {}},
        "cases": {"opened": 0, "closed": 0},
        "hotspots": {"addresses": [], "areas": [], "subjects": []},
        "trends": {},
        "overdue": {"tasks": 0, "reports": 0},
    }


def _trends(now: dict[str, int], last4: dict[str, int], last52: dict[str, int]) -> dict:
    codes = sorted(set(now) | set(last4) | set(last52))
    return {c: figures.trend(now.get(c, 0), last4.get(c, 0), last52.get(c, 0)) for c in codes}


def _add(into: dict[str, int], more: dict[str, int]) -> None:
    for key, n in more.items():
        into[key] = into.get(key, 0) + n


def overview_snapshot(week: Week) -> dict:
    """The figures of one week, per team ("" for reports without a team) and overall."""
    codes = figures._category_codes()
    now = figures.reports_per_category(week, week, codes)
    last4 = figures.reports_per_category(week.minus(4), week.minus(1), codes)
    last52 = figures.reports_per_category(week.minus(52), week.minus(1), codes)
    on_reports, on_cases = figures.decisions(week)
    cases = figures.cases_opened_closed(week)
    late = figures.overdue(week)
    teams: dict[str, dict] = defaultdict(_empty_section)
    keys = set(now) | set(last4) | set(last52) | set(on_reports) | set(on_cases)
    keys |= set(cases) | set(late)
    spots, overall_areas = figures.hotspots(week, keys)
    for team in sorted(keys):
        section = teams[team]
        by_category = now.get(team, {})
        section["reports"] = {"total": sum(by_category.values()), "by_category": by_category}
        section["decisions"] = {
            "reports": on_reports.get(team, {}),
            "cases": on_cases.get(team, {}),
        }
        section["cases"] = cases.get(team, {"opened": 0, "closed": 0})
        section["hotspots"] = spots.get(team, _empty_section()["hotspots"])
        section["trends"] = _trends(by_category, last4.get(team, {}), last52.get(team, {}))
        section["overdue"] = late.get(team, {"tasks": 0, "reports": 0})
    overall = _empty_section()
    sums: dict[str, dict[str, int]] = {"now": {}, "last4": {}, "last52": {}}
    for team in keys:
        section = teams[team]
        _add(overall["reports"]["by_category"], section["reports"]["by_category"])
        _add(overall["decisions"]["reports"], section["decisions"]["reports"])
        _add(overall["decisions"]["cases"], section["decisions"]["cases"])
        _add(overall["cases"], section["cases"])
        _add(overall["overdue"], section["overdue"])
        _add(sums["now"], now.get(team, {}))
        _add(sums["last4"], last4.get(team, {}))
        _add(sums["last52"], last52.get(team, {}))
    overall["reports"]["total"] = sum(overall["reports"]["by_category"].values())
    # Over all teams only areas: an address or a person is never shown without the reports.
    overall["hotspots"] = {"addresses": [], "areas": overall_areas, "subjects": []}
    overall["trends"] = _trends(sums["now"], sums["last4"], sums["last52"])
    return {
        "week": week.label,
        "start": week.start.isoformat(),
        "end": week.last_day.isoformat(),
        "rules": {
            "hotspot_min": figures.HOTSPOT_MIN,
            "notable_factor": figures.NOTABLE_FACTOR,
            "notable_difference": figures.NOTABLE_DIFFERENCE,
        },
        "teams": dict(teams),
        "overall": overall,
        "awareness": _awareness(week),
    }


def _awareness(week: Week) -> dict:
    """Issue 17: the trainings given this week, and per team the departments whose first
    report ever came in this week (awareness/figures.py: never from a pooled report). Kept
    as facts — the department's id, whether the report was anonymous, its band on arrival —
    not as a sentence with a name: the rule is decided again whenever the week is read
    (overview_scope._awareness), so a department made small later is not named by a week
    built before."""
    firsts: dict[str, list] = defaultdict(list)
    for found in week_firsts(week.start, week.last_day):
        first = found.report
        firsts[figures._team(found.team_id)].append(
            {
                "department_id": found.department_id,
                "anonymous": found.anonymous,
                "small_on_arrival": found.small_on_arrival,
                "first": first.first.isoformat(),
                "training": first.training.held_on.isoformat() if first.training else None,
            }
        )
    trainings = [
        {"held_on": t.held_on.isoformat(), "title": t.title, "departments": t.departments}
        for t in week_trainings(week.start, week.last_day)
    ]
    return {"trainings": trainings, "firsts": dict(firsts)}


def canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def overview_build(
    *, week: Week, actor: Actor = SYSTEM, now: datetime | None = None
) -> WeeklyOverview:
    """Build (or build again) one week that has ended; the snapshot replaces the earlier one.

    Refused for a week that has not ended yet: its figures would still change.
    """
    now = now or timezone.now()
    if week.ends > now:
        raise OverviewRefused(f"Week {week} has not ended yet.")
    data = json.loads(canonical(overview_snapshot(week)))
    digest = hashlib.sha256(canonical(data).encode()).hexdigest()
    with transaction.atomic():
        overview, created = WeeklyOverview.objects.update_or_create(
            week_start=week.start,
            defaults={"week": week.label, "data": data, "digest": digest, "built_at": now},
        )
        audit_record(
            actor=actor,
            action=AuditAction.INSIGHTS_OVERVIEW_BUILD,
            target=overview,
            detail={"week": week.label, "digest": digest, "rebuilt": not created},
        )
    return overview


def parse_week(text: str | None, *, now: datetime | None = None) -> Week:
    """A week given as YYYY-Www, or the last complete week when none is given."""
    if not text:
        return Week.last_complete(now)
    try:
        return Week.parse(text)
    except WeekError as error:
        raise OverviewRefused(str(error)) from None


def may_read(user: User | AnonymousUser) -> bool:
    return not isinstance(user, AnonymousUser) and (
        user.can(Capability.INSIGHTS) or user.can(Capability.AGGREGATES)
    )


def is_subscribed(user: User) -> bool:
    return OverviewSubscription.objects.filter(user=user).exists()


def subscription_set(*, user: User, subscribed: bool) -> bool:
    """Subscribe a reader of the overview to its e-mail, or end that."""
    if not may_read(user):
        raise OverviewRefused("Only readers of the weekly overview can subscribe.")
    with transaction.atomic():
        if subscribed:
            _row, changed = OverviewSubscription.objects.get_or_create(
                user=user, defaults={"subscribed_at": timezone.now()}
            )
        else:
            changed = bool(OverviewSubscription.objects.filter(user=user).delete()[0])
        if changed:
            audit_record(
                actor=user,
                action=AuditAction.INSIGHTS_OVERVIEW_SUBSCRIBE
                if subscribed
                else AuditAction.INSIGHTS_OVERVIEW_UNSUBSCRIBE,
                target=user,
            )
    return subscribed
