"""The weekly access report (issue 16): per team, who read how much in one ISO week, per day
(Monday to Sunday): reads of reports, of subjects, of cases and exports downloaded, counted
from the audit log as the access review counts reads (oversight/review.py): in views, reads
of one object by one user less than two minutes after their previous read of it being one
(review.ONE_VIEW). A page, the API and a PDF show the same figures; names of staff and counts
only, nothing of what was read.

A user is under their team now (the log keeps no former team); users without a team (the
privacy officer, the functional administrator, management) are together at the end. Only
who read something that week is listed. One grouped count in the database, whatever the size
of the log (the database finds each view's first entry: a window over each user's reads of
one object), and one query for the users.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, DateTimeField, F, Value, Window
from django.db.models.functions import Lag, TruncDate
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from baken.accounts.models import User
from baken.audit import labels
from baken.audit.models import AuditEntry
from baken.core.pdf import render_pdf

from .review import CASE_READS, EXPORT_READS, ONE_VIEW, REPORT_READS, SUBJECT_READS
from .weeks import Week

KINDS: list[tuple[str, Promise, list[str]]] = [
    ("reports", _("Reports"), [str(a) for a in REPORT_READS]),
    ("subjects", _("Subjects"), [str(a) for a in SUBJECT_READS]),
    ("cases", _("Cases"), [str(a) for a in CASE_READS]),
    ("exports", _("Exports"), [str(a) for a in EXPORT_READS]),
]
_KIND_OF = {action: key for key, _label, actions in KINDS for action in actions}
_LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)  # before any entry: a user's first read of it


@dataclass(frozen=True)
class Line:
    kind: str
    label: str
    days: list[int]  # Monday to Sunday

    @property
    def total(self) -> int:
        return sum(self.days)


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    role: str
    lines: list[Line]

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)


@dataclass(frozen=True)
class TeamBlock:
    name: str
    people: list[Person]
    totals: list[Line]


@dataclass(frozen=True)
class AccessReport:
    week: Week
    teams: list[TeamBlock]

    @property
    def readers(self) -> int:
        return sum(len(team.people) for team in self.teams)


def _lines(counts: dict[str, list[int]]) -> list[Line]:
    return [Line(key, str(label), counts.get(key, [0] * 7)) for key, label, _a in KINDS]


def access_report_of(week: Week) -> AccessReport:
    zone = ZoneInfo(settings.TIME_ZONE)
    previous = Window(
        Lag("at", default=Value(_LONG_AGO, output_field=DateTimeField())),
        partition_by=[F("actor_id"), F("object_type"), F("object_id")],
        order_by=[F("at").asc(), F("seq").asc()],
    )
    first_entries = (
        AuditEntry.objects.filter(
            at__gte=week.begins,
            at__lt=week.ends,
            action__in=list(_KIND_OF),
            actor_id__isnull=False,
        )
        .annotate(previous=previous)
        .filter(previous__lte=F("at") - ONE_VIEW)
        .values("seq")
    )
    rows = (
        AuditEntry.objects.filter(seq__in=first_entries)
        .annotate(day=TruncDate("at", tzinfo=zone))
        .values("actor_id", "action", "day")
        .annotate(n=Count("seq"))
        .order_by()
    )
    counts: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for row in rows:
        index = (row["day"] - week.start).days
        if not 0 <= index < 7:
            continue
        per_kind = counts[row["actor_id"] or 0].setdefault(_KIND_OF[row["action"]], [0] * 7)
        per_kind[index] += row["n"]
    users = User.objects.filter(pk__in=counts).select_related("team")
    by_team: dict[str, list[Person]] = defaultdict(list)
    for user in users:
        person = Person(
            user_id=user.pk,
            name=str(user),
            role=labels.role_label(user.role),
            lines=_lines(counts[user.pk]),
        )
        by_team[user.team.name if user.team else ""].append(person)
    teams = []
    for name in sorted(by_team, key=lambda n: (n == "", n.casefold())):
        people = sorted(by_team[name], key=lambda p: p.name.casefold())
        totals = [
            Line(key, str(label), [sum(p.lines[i].days[d] for p in people) for d in range(7)])
            for i, (key, label, _a) in enumerate(KINDS)
        ]
        teams.append(TeamBlock(name=name or str(_("No team")), people=people, totals=totals))
    return AccessReport(week=week, teams=teams)


def access_report_pdf(report: AccessReport) -> bytes:
    html = render_to_string(
        "oversight/pdf/report.html", {"report": report, "made_at": timezone.now()}
    )
    return render_pdf(html)


def access_report_file_name(report: AccessReport) -> str:
    return f"toegangsrapport-{report.week.label}.pdf"
