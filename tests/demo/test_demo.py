import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from baken.accounts.models import User
from baken.core.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_setup_loads_one_user_per_role_once_and_they_can_log_in(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first = io.StringIO()
    call_command("demo-setup", stdout=first)
    assert "demo loaded" in first.getvalue()
    assert {u.role for u in User.objects.filter(is_demo=True)} == set(Role.values)
    # The archive of weekly overviews is not empty on the first visit.
    from baken.insights.models import WeeklyOverview

    assert WeeklyOverview.objects.count() == 4
    second = io.StringIO()
    call_command("demo-setup", stdout=second)
    assert "already loaded" in second.getvalue()
    assert User.objects.filter(is_demo=True).count() == len(Role.values) + 1

    line = next(row for row in first.getvalue().splitlines() if row.startswith("analist "))
    username, _role, password, _secret = line.split()
    code = io.StringIO()
    call_command("totp", username, stdout=code)
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    response = client.post(reverse("accounts:verify"), {"code": code.getvalue().strip()})
    assert response.url == reverse("core:home")
