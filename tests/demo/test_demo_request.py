"""The demo has a request of a data subject for its privacy officer (issue 16): the request
register is not empty on a first look, and its overview can be opened."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from baken.accounts.models import User
from baken.rights.models import HitKind, Request

pytestmark = pytest.mark.django_db


def test_the_demo_privacy_officer_finds_a_request_with_what_was_confirmed(
    settings, tmp_path, verified_client
):
    settings.VAR_DIR = tmp_path
    call_command("demo-setup", stdout=io.StringIO())
    request = Request.objects.get()
    assert request.requester_name == "Jan van der Berg" and request.kind == "access"
    kinds = sorted(request.hits.values_list("kind", flat=True))
    assert HitKind.SUBJECT in kinds and kinds.count(HitKind.REPORT) >= 1
    officer = verified_client(User.objects.get(username="privacy"))
    page = officer.get(reverse("rights:detail", args=[request.pk])).content.decode()
    assert request.reference in page and "Jan van der Berg" in page
    overview = officer.get(reverse("rights:inzage", args=[request.pk]))
    assert overview.status_code == 200
    # Idempotent: a second run registers nothing more.
    call_command("demo-setup", stdout=io.StringIO())
    assert Request.objects.count() == 1
