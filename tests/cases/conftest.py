import pytest

from baken.accounts.roles import Role


@pytest.fixture
def analyst(make_user, north):
    return make_user(role=Role.ANALYST, team=north, email="analist@havenwaard.example")


@pytest.fixture
def handler(make_user, north):
    return make_user(role=Role.CASE_HANDLER, team=north)


@pytest.fixture
def case(analyst, north):
    """A case of team north opened by the analyst from one report in further analysis."""
    from baken.cases import services
    from tests.cases.test_cases import in_analysis

    return services.case_open(
        reports=[in_analysis(north)],
        title="Loods Havenweg",
        summary="Signalen van drugsproductie.",
        team=north,
        handler=None,
        actor=analyst,
        rationale="Weging 3: ernstig.",
    )
