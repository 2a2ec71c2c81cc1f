import os
import time

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from baken.accounts.models import Team
from baken.core.roles import Role

from .factories import PASSWORD, UserFactory, current_code

# Playwright's sync API runs an event loop in the test thread; Django's ORM then thinks it is
# in async code. The tests never share a connection across threads, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def make_user(db):
    def make(role: str = Role.ANALYST, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def login(client):
    """Log a user in the way a person does: password, then the second factor."""

    def do_login(user, *, test_client=None):
        c = test_client or client
        c.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
        response = c.post(reverse("accounts:verify"), {"code": current_code(user)})
        assert response.status_code == 302, response.content[:500]
        return c

    return do_login


@pytest.fixture
def verified_client(client):
    """A client with a session that passed both factors, without spending a TOTP code."""

    def make(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        # A session in use: its idle clock set, so that pages do not write it (a session's
        # first page does, accounts/middleware.py), and every page costs what the next does.
        session["baken.last_seen"] = time.time()
        session.save()
        return client

    return make


__all__ = ["PASSWORD", "current_code"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free local port; Django delivers to it over TCP."""
    import socket
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield handler
    controller.stop()


@pytest.fixture(autouse=True)
def installed_content(request):
    """The catalogue and weighing criteria as the migrations install them. A transactional
    test (browser tests, races) ends with a flush that removes those rows, so such tests load
    them again when they are missing."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps

    from baken.reports.models import Category, Criterion

    if not Category.objects.exists():
        # The migration names the catalogue by the app it had then (intake, now reports).
        catalogue = SimpleNamespace(
            get_model=lambda app, name: apps.get_model(app.replace("intake", "reports"), name)
        )
        import_module("baken.intake.migrations.0002_default_catalogue").load(catalogue, None)
    if not Criterion.objects.exists():
        import_module("baken.reports.migrations.0003_default_criteria").load(apps, None)
    from baken.cases.models import CaseType, Source

    if not CaseType.objects.exists():
        import_module("baken.cases.migrations.0002_default_case_type").forwards(apps, None)
    if not Source.objects.exists():
        import_module("baken.cases.migrations.0004_default_sources_and_interventions").forwards(
            apps, None
        )
    from baken.privacy.models import RetentionRule

    if not RetentionRule.objects.exists():
        import_module("baken.privacy.migrations.0002_default_rules").add_defaults(apps, None)


@pytest.fixture
def north(db):
    """A team, for tests of what another team may not see (see `south`)."""
    return Team.objects.create(name="Noord")


@pytest.fixture
def south(db):
    return Team.objects.create(name="Zuid")
