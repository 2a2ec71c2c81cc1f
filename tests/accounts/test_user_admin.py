import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from baken.accounts import services
from baken.accounts.models import User
from baken.audit.models import AuditEntry
from baken.core.refusals import Refused
from baken.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(make_user, verified_client):
    return verified_client(make_user(role=Role.ADMIN, team=None))


def test_admin_adds_a_user_with_a_new_team(admin_client):
    response = admin_client.post(
        reverse("accounts:user_create"),
        {
            "username": "nieuw",
            "role": Role.INTAKE,
            "new_team": "OOV West",
            "password": "een-lang-en-sterk-wachtwoord",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="nieuw")
    assert user.team.name == "OOV West" and user.role == Role.INTAKE
    assert AuditEntry.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def test_weak_password_is_refused_and_the_form_keeps_its_input(admin_client):
    response = admin_client.post(
        reverse("accounts:user_create"),
        {"username": "zwak", "first_name": "Zwaan", "role": Role.INTAKE, "password": "12345678"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="zwak"' in body and 'value="Zwaan"' in body
    assert "te kort" in body
    assert not User.objects.filter(username="zwak").exists()


def test_admin_deactivates_a_user_and_resets_the_second_factor(admin_client, make_user):
    user = make_user(role=Role.ANALYST)
    url = reverse("accounts:user_detail", args=[user.pk])
    admin_client.post(url, {"action": "update", "role": Role.ANALYST, "team": user.team.pk})
    user.refresh_from_db()
    assert not user.is_active
    admin_client.post(url, {"action": "reset_second_factor"})
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_unknown_user_is_a_404_not_a_500(admin_client):
    assert admin_client.get(reverse("accounts:user_detail", args=[99999])).status_code == 404


def test_admin_list_shows_staff_but_is_logged(admin_client, make_user):
    make_user(username="zichtbaar")
    assert "zichtbaar" in admin_client.get(reverse("accounts:users")).content.decode()
    assert AuditEntry.objects.filter(action="user.list").exists()


def test_admin_cannot_change_their_own_role_or_team(make_user, verified_client):
    admin = make_user(role=Role.ADMIN, team=None)
    browser = verified_client(admin)
    url = reverse("accounts:user_detail", args=[admin.pk])
    response = browser.post(
        url, {"action": "update", "role": Role.TEAM_LEAD, "team": "", "is_active": "on"}
    )
    assert response.status_code == 200
    assert "andere beheerder" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_the_service_itself_refuses_an_administrators_own_access(make_user):
    # Not only the page: any caller of the service (a command, a later API) gets the rule.
    admin = make_user(role=Role.ADMIN, team=None)
    for change in ({"role": Role.TEAM_LEAD}, {"is_active": False}):
        with pytest.raises(Refused) as refused:
            services.user_update(
                user=admin,
                actor=admin,
                **{"role": Role.ADMIN, "team": None, "is_active": True} | change,
            )
        assert refused.value.code == "own_access" and refused.value.status == 403
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN and admin.is_active
    # Saving one's own record unchanged is no change of access.
    services.user_update(user=admin, actor=admin, role=Role.ADMIN, team=None, is_active=True)
