import io

import pytest
from django.core.management import call_command

from baken.core.roles import Role
from baken.reports.models import Report
from tests.reports.test_triage import file_report


def auth(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


@pytest.fixture
def lead(make_user, north):
    return make_user(role=Role.TEAM_LEAD, team=north, email="lead@havenwaard.example")


@pytest.fixture
def analyst(make_user, north):
    return make_user(role=Role.ANALYST, team=north, email="analist@havenwaard.example")


@pytest.fixture
def report(north):
    """A report of team north with words that must never reach an e-mail."""
    filed = file_report(
        description="Hennepgeur bij de schuur van Jan Vermeulen, Havenkade 12.",
        subjects=[{"type": "person", "name": "Jan Vermeulen"}],
    )
    Report.objects.filter(pk=filed.pk).update(team=north)
    return Report.objects.get(pk=filed.pk)


# Whatever of the report a mail could leak: its category, description, names, address and
# reference.
SECRETS = ("Jan Vermeulen", "Havenkade", "Hennepgeur", "drugs", "Drugs")
