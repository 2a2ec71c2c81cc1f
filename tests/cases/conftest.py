import pytest

from baken.core.roles import Role


@pytest.fixture
def analyst(make_user, north):
    return make_user(role=Role.ANALYST, team=north, email="analist@havenwaard.example")


@pytest.fixture
def lead(make_user, north):
    """The team lead of north: steers every case of the team (close, reopen, membership)."""
    return make_user(role=Role.TEAM_LEAD, team=north)


@pytest.fixture
def handler(make_user, north):
    return make_user(role=Role.CASE_HANDLER, team=north)


@pytest.fixture
def case(analyst, north):
    """A case of team north opened by the analyst from one report in further analysis."""
    from tests.cases.test_cases import open_case

    return open_case(
        north,
        analyst,
        title="Loods Havenweg",
        summary="Signalen van drugsproductie.",
        rationale="Weging 3: ernstig.",
    )
