"""A team at work, as the access review sees it: Noord's intake officer, analyst, case handler
and team lead, a case shared with an analyst of Zuid, and a clock the tests set, so that the
audit log holds reads at the moments a day of work makes them (oversight/review.py)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from baken.accounts.models import Team, User
from baken.cases import services as case_services
from baken.cases.models import Case
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports.models import Report, RoutingRule
from baken.reports.validation import check_report
from baken.reports.workflow import Status
from tests.factories import UserFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WEDNESDAY = date(2026, 11, 18)
SATURDAY = date(2026, 11, 21)


class Clock:
    """timezone.now() as the test sets it: every audit entry, report and membership is made
    at the moment the clock shows."""

    def __init__(self) -> None:
        self.moment = datetime.combine(WEDNESDAY, datetime.min.time(), AMSTERDAM)

    def __call__(self) -> datetime:
        return self.moment

    def at(self, hour: int, minute: int = 0, *, day: date | None = None) -> datetime:
        day = day or self.moment.astimezone(AMSTERDAM).date()
        self.moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)
        return self.moment

    def tick(self, minutes: float = 1) -> datetime:
        self.moment += timedelta(minutes=minutes)
        return self.moment


@pytest.fixture
def clock(monkeypatch) -> Clock:
    found = Clock()
    monkeypatch.setattr(timezone, "now", found)
    return found


def browser(user: User) -> Client:
    """A signed-in browser of `user` (both factors passed)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def file(description: str, *, postcode: str = "1781AB", number: int = 3, **extra) -> Report:
    """A report through the Meldpunt's own service, routed on arrival by the rules."""
    checked = check_report(
        {
            "description": description,
            "category": "drugs",
            "location": {"address": {"postcode": postcode, "house_number": number}},
            **extra,
        }
    )
    return intake_services.report_submit(checked=checked, actor=SYSTEM).report


@dataclass
class Office:
    north: Team
    south: Team
    intake: User
    analyst: User
    handler: User
    lead: User
    officer: User
    guest: User  # an analyst of Zuid, member of Noord's case
    reports: list[Report]
    case: Case

    def read(self, user: User, report: Report, *, api: bool = False) -> None:
        client = browser(user)
        if api:
            answer = client.get(f"/api/v1/reports/{report.pk}")
        else:
            answer = client.get(f"/werkruimte/meldingen/{report.pk}")
        assert answer.status_code == 200, (user.role, answer.status_code)


@pytest.fixture
def office(db, clock) -> Office:
    """Noord at the start of Wednesday 18 November 2026: eight reports routed to the team
    overnight, one of them in a case of the analyst and the case handler, shared with an
    analyst of Zuid."""
    north, south = Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")
    RoutingRule.objects.create(name="Postcode 1781 naar Noord", team=north, postcode_prefix="1781")

    def person(username, role, team, last_name):
        return UserFactory(username=username, role=role, team=team, last_name=last_name)

    intake = person("ilse", Role.INTAKE, north, "Smit")
    analyst = person("anna", Role.ANALYST, north, "Bakker")
    handler = person("hans", Role.CASE_HANDLER, north, "Visser")
    lead = person("lotte", Role.TEAM_LEAD, north, "Meijer")
    officer = person("paul", Role.PRIVACY_OFFICER, None, "Mulder")
    guest = person("zara", Role.ANALYST, south, "Dekker")
    clock.at(2)
    reports = []
    for n in range(8):
        clock.tick(20)
        reports.append(
            file(
                f"Melding {n}: hennepgeur en afgeplakte ramen bij de loods.",
                number=n + 1,
                subjects=[{"type": "person", "name": f"Karel Jansen {n}"}],
            )
        )
    assert {report.team_id for report in Report.objects.all()} == {north.pk}
    clock.at(8, 30)
    in_case = reports[0]
    Report.objects.filter(pk=in_case.pk).update(status=Status.IN_ANALYSIS)
    case = case_services.case_open(
        reports=[Report.objects.get(pk=in_case.pk)],
        title="Loods Havenweg",
        summary="Signalen van een hennepkwekerij.",
        handler=handler,
        actor=analyst,
        rationale="Weging 3: concreet en recent.",
    )
    clock.tick(5)
    case_services.member_add(
        case=case, user=guest, actor=lead, reason="Zuid kent de eigenaar van de loods."
    )
    return Office(
        north=north,
        south=south,
        intake=intake,
        analyst=analyst,
        handler=handler,
        lead=lead,
        officer=officer,
        guest=guest,
        reports=[Report.objects.get(pk=r.pk) for r in reports],
        case=case,
    )
