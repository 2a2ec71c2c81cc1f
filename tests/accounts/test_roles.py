"""Each role sees only its own menu and may open only its own pages."""

import pytest
from django.urls import reverse

from baken.core.roles import Role

pytestmark = pytest.mark.django_db

MENU_LABELS = {"users": "Gebruikers", "audit": "Auditlog", "categories": "Categorieën"}
PAGES = {
    "users": reverse("accounts:users"),
    "audit": reverse("audit:log"),
    "categories": reverse("intake:categories"),
}
ALLOWED = {
    Role.INTAKE: set(),
    Role.ANALYST: set(),
    Role.CASE_HANDLER: set(),
    Role.TEAM_LEAD: set(),
    Role.MANAGEMENT: set(),
    Role.ADMIN: {"users", "categories"},
    Role.PRIVACY_OFFICER: {"audit"},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_only_its_menu_and_pages(role, make_user, verified_client):
    client = verified_client(make_user(role=role))
    home = client.get(reverse("core:home")).content.decode()
    nav = home.split('class="main-nav"')[1].split("</nav>")[0]
    for page, label in MENU_LABELS.items():
        assert (label in nav) == (page in ALLOWED[role]), f"{role} menu: {page}"
        expected = 200 if page in ALLOWED[role] else 403
        assert client.get(PAGES[page]).status_code == expected, f"{role} page: {page}"


def test_forbidden_page_explains_itself_in_dutch(make_user, verified_client):
    client = verified_client(make_user(role=Role.ANALYST))
    response = client.get(reverse("audit:log"))
    assert "geen toegang" in response.content.decode().lower()


def test_deactivated_user_loses_every_capability(make_user, verified_client):
    user = make_user(role=Role.PRIVACY_OFFICER)
    user.is_active = False
    user.save()
    assert user.capabilities == frozenset()
