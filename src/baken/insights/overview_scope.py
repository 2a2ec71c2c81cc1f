"""Reading the weekly overview, scoped to the reader as they are now (docs/product.md#roles):

- team lead and analyst (Capability.INSIGHTS): the figures of their own team, its hotspots
  with addresses and the subjects they may know of, and the week's new reports that
  `report_list(user=...)` lets them see;
- management (Capability.AGGREGATES): the totals over all teams with small counts
  suppressed (insights/suppression.py), hotspots by area only, no report, address or name;
  no count per category and no mean, only whether a category with enough reports this
  week had notably more or fewer than usual (_directions);
- everyone else: nothing (the views answer 403).

The same reading feeds the page, the PDF, the e-mail and the API.
"""

from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from baken.audit.actions import AuditAction
from baken.audit.services import audit_deferred, audit_record
from baken.awareness.figures import pooled
from baken.cases.models import DecisionKind as CaseDecisionKind
from baken.core.roles import Capability
from baken.reports.departments import department_shown
from baken.reports.models import Category, DecisionKind, Department, Report
from baken.reports.selectors import report_list, report_list_logged
from baken.subjects.selectors import subject_list

from . import suppression
from .models import WeeklyOverview
from .overview import _empty_section, may_read
from .overview_week import Week, WeekError

SUMMARY_LENGTH = 140


def overview_list(*, user) -> QuerySet[WeeklyOverview]:
    """Every week built so far, newest first (the archive); none for a user who may not read."""
    if not may_read(user):
        return WeeklyOverview.objects.none()
    return WeeklyOverview.objects.defer("data")


def overview_get(*, user, week: str) -> WeeklyOverview | None:
    if not may_read(user):
        return None
    try:
        start = Week.parse(week).start
    except WeekError:
        return None
    return WeeklyOverview.objects.filter(week_start=start).first()


def is_aggregate_reader(user) -> bool:
    return not user.can(Capability.INSIGHTS) and user.can(Capability.AGGREGATES)


def _labels(kind: str) -> dict[str, str]:
    if kind == "category":
        labels = {code: str(name) for code, name in Category.objects.values_list("code", "name")}
        labels[""] = _("No category")
        return labels
    if kind == "report_decision":
        return {k: str(v) for k, v in DecisionKind.choices}
    return {k: str(v) for k, v in CaseDecisionKind.choices}


def _rows(counts: dict[str, int], labels: dict[str, str], key: str, *, hidden=None) -> list:
    shown = hidden.cells if hidden is not None else counts
    return [
        {key: code, "label": labels.get(code, code), "count": shown[code]}
        for code in sorted(counts, key=lambda c: ((labels.get(c) or c).lower(), c))
    ]


def _changes(trend: dict) -> dict[str, str]:
    """What changed notably against the 4- and the 52-week mean. A week built before the
    52-week mean counted for it holds only "change" (against the 4 weeks)."""
    change4 = trend.get("change4", trend.get("change", ""))
    change52 = trend.get("change52", "")
    both = "" if change4 and change52 and change4 != change52 else change4 or change52
    return {"change4": change4, "change52": change52, "change": both}


def _by_label(codes, labels: dict[str, str]) -> list[str]:
    return sorted(codes, key=lambda c: ((labels.get(c) or c).lower(), c))


def _trends(trends: dict[str, dict], labels: dict[str, str]) -> list[dict]:
    """A team's full trends: count, both means and what changed notably against each."""
    return [
        {"code": code, "label": labels.get(code, code), **trends[code], **_changes(trends[code])}
        for code in _by_label(trends, labels)
    ]


def _directions(trends: dict[str, dict], labels: dict[str, str]) -> list[dict]:
    """Management's trends: only whether a category had notably more or fewer reports than
    usual, and only for a category with at least the threshold's reports this week. No count
    and no mean: a mean is exact (4 × the 4-week mean is the sum), so with the archive of the
    weeks before it would give a week's small count back, as would a category's weekly count
    set against the yearly totals of the management view."""
    limit = suppression.threshold()
    rows = []
    for code in _by_label(trends, labels):
        change = _changes(trends[code])["change"]
        if change and trends[code]["count"] >= limit:
            rows.append({"code": code, "label": labels.get(code, code), "change": change})
    return rows


def _team_view(user, section: dict) -> dict:
    categories = _labels("category")
    spots = section["hotspots"]
    known = {
        s.pk: s for s in subject_list(user=user).filter(pk__in=[pk for pk, _n in spots["subjects"]])
    }
    return {
        "reports": {
            "total": section["reports"]["total"],
            "by_category": _rows(section["reports"]["by_category"], categories, "code"),
        },
        "decisions": {
            "reports": _rows(section["decisions"]["reports"], _labels("report_decision"), "kind"),
            "cases": _rows(section["decisions"]["cases"], _labels("case_decision"), "kind"),
        },
        "cases": dict(section["cases"]),
        "hotspots": {
            "addresses": [
                {"postcode": pc, "house_number": nr, "count": n} for pc, nr, n in spots["addresses"]
            ],
            "areas": [
                {"code": code, "area": name, "count": n, "rising": rising}
                for code, name, n, rising in spots["areas"]
            ],
            # A subject this reader may not know of (no longer) is left out, not named.
            "subjects": [
                {"id": pk, "name": known[pk].name, "kind": known[pk].kind, "count": n}
                for pk, n in spots["subjects"]
                if pk in known
            ],
        },
        "trends": _trends(section["trends"], categories),
        "overdue": dict(section["overdue"]),
    }


def _aggregate_view(section: dict) -> dict:
    """Management's week: the municipality's totals, each suppressed on its own, and no count
    per category nor any mean (see _directions)."""
    on_reports = suppression.suppress_table(section["decisions"]["reports"])
    on_cases = suppression.suppress_table(section["decisions"]["cases"])
    return {
        "reports": {"total": suppression.suppress(section["reports"]["total"])},
        "decisions": {
            "reports": _rows(
                section["decisions"]["reports"],
                _labels("report_decision"),
                "kind",
                hidden=on_reports,
            ),
            "cases": _rows(
                section["decisions"]["cases"], _labels("case_decision"), "kind", hidden=on_cases
            ),
        },
        "cases": {k: suppression.suppress(n) for k, n in section["cases"].items()},
        "hotspots": {
            "addresses": [],
            "areas": [
                {"code": code, "area": name, "count": suppression.suppress(n), "rising": rising}
                for code, name, n, rising in section["hotspots"]["areas"]
            ],
            "subjects": [],
        },
        "trends": _directions(section["trends"], _labels("category")),
        "overdue": {k: suppression.suppress(n) for k, n in section["overdue"].items()},
        "small_count": suppression.threshold(),
    }


def overview_view(*, user, overview: WeeklyOverview) -> dict:
    """What this reader may see of the week's figures, as plain data (page, PDF, mail, API)."""
    data = overview.data
    head = {
        "week": overview.week,
        "start": data["start"],
        "end": data["end"],
        "built_at": overview.built_at.isoformat(),
        "rules": data["rules"],
    }
    if is_aggregate_reader(user):
        body = _aggregate_view(data["overall"])
        awareness = _awareness(data, None)
        return {**head, "scope": "aggregates", "team": None, **body, "awareness": awareness}
    team = user.team if user.team_id else None
    section = data["teams"].get(str(user.team_id), _empty_section()) if team else _empty_section()
    body = _team_view(user, section)
    awareness = _awareness(data, str(user.team_id) if team else None)
    return {
        **head,
        "scope": "team",
        "team": team.name if team else None,
        **body,
        "awareness": awareness,
    }


def _awareness(data: dict, team: str | None) -> dict:
    """Issue 17: the week's trainings for every reader; the first reports from a department
    for its team only (for management a first report would be one colleague's report, a
    per-report detail). A week built before issue 17 has neither."""
    held = data.get("awareness", {})
    firsts = held.get("firsts", {}).get(team, []) if team is not None else []
    return {
        "trainings": [
            {**t, "held_on": date.fromisoformat(t["held_on"])} for t in held.get("trainings", [])
        ],
        "firsts": _firsts_named_now(firsts),
    }


def _firsts_named_now(firsts: list[dict]) -> list[dict]:
    """The week's first reports whose department may still be named, decided now with the
    department as it is now: not when the report would now be pooled (anonymous, and its
    department small now or on arrival; awareness/figures.py `pooled`), nor when the report
    list beside it would show the department only as 'kleine afdeling'
    (reports/departments.py). A sentence kept by a week built before the snapshot held the
    facts (a name, no department id) cannot be decided again, so it is left out."""
    kept = [f for f in firsts if "department_id" in f]
    named = Department.objects.in_bulk([f["department_id"] for f in kept])
    shown = []
    for f in kept:
        department = named.get(f["department_id"])
        if department is None:
            continue
        facts = {"anonymous": f["anonymous"], "small_on_arrival": f["small_on_arrival"]}
        if pooled(department=department, **facts):
            continue
        report = Report(
            department=department,
            is_anonymous=f["anonymous"],
            department_small=f["small_on_arrival"],
        )
        if department_shown(report) != department.name:
            continue
        shown.append(
            {
                "department": department.name,
                "first": date.fromisoformat(f["first"]),
                "training": date.fromisoformat(f["training"]) if f["training"] else None,
            }
        )
    return shown


def notable(view: dict) -> list[dict]:
    """What changed notably, one line per category and mean it changed against: for a team
    {label, count, mean, weeks (4 or 52), change}; for management {label, change} only."""
    if view["scope"] == "aggregates":
        return list(view["trends"])
    lines = []
    for t in view["trends"]:
        for weeks in (4, 52):
            if t[f"change{weeks}"]:
                lines.append(
                    {
                        "code": t["code"],
                        "label": t["label"],
                        "count": t["count"],
                        "mean": t[f"mean{weeks}"],
                        "weeks": weeks,
                        "change": t[f"change{weeks}"],
                    }
                )
    return lines


def overview_reports(*, user, overview: WeeklyOverview) -> QuerySet[Report]:
    """The week's new reports this reader may see now, oldest first."""
    if not user.can(Capability.INSIGHTS):
        return Report.objects.none()
    week = Week.parse(overview.week)
    return (
        report_list(user=user)
        .filter(received_at__gte=week.begins, received_at__lt=week.ends)
        .select_related("department")
        .prefetch_related(None)
        .order_by("received_at", "pk")
    )


def report_summary(report: Report) -> dict:
    text = " ".join(report.description.split())
    if len(text) > SUMMARY_LENGTH:
        text = text[: SUMMARY_LENGTH - 1].rstrip() + "…"
    place = " ".join(
        str(part) for part in (report.street, report.house_number or "", report.postcode) if part
    )
    return {
        "id": report.pk,
        "reference": report.reference,
        "received_at": report.received_at.isoformat(),
        "category": report.category.name if report.category else _("No category"),
        # Through the 'kleine afdeling' rule: never a small department's name for an
        # anonymous report (reports/departments.py).
        "reporter_department": department_shown(report),
        "status": report.get_status_display(),
        "place": place or report.location_description,
        "summary": text,
    }


def overview_read_logged(*, user, overview: WeeklyOverview, form: str, reports: list) -> None:
    """Record the read of one week (and the ids of the reports it listed): both entries
    appended together, with one lock of the chain's head and one commit (issue 18)."""
    with transaction.atomic(), audit_deferred():
        audit_record(
            actor=user,
            action=AuditAction.INSIGHTS_OVERVIEW_READ,
            target=overview,
            detail={"week": overview.week, "form": form},
        )
        report_list_logged(user=user, reports=reports)
