import pytest

from baken.accounts.models import Team
from baken.accounts.roles import Role


@pytest.fixture
def north():
    return Team.objects.create(name="Noord")


@pytest.fixture
def analyst(make_user, north):
    return make_user(role=Role.ANALYST, team=north, email="analist@havenwaard.example")


@pytest.fixture
def handler(make_user, north):
    return make_user(role=Role.CASE_HANDLER, team=north)
