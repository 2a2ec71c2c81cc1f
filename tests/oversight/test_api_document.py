"""The access review's API answers as the OpenAPI document promises them (Schemathesis, as
tests/api/test_schema_fuzz.py does for the analyst): each endpoint called by the privacy
officer with a real flag and a real week, its status, content type and body checked."""

import pytest

from tests.api.test_schema_fuzz import CHECKS, _failure, _schema
from tests.api.test_triage_api import auth

from .test_pages import flagged  # noqa: F401  (the fixture: a night's flag of the analyst)

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_connection():
    """The app is called in this thread, inside the test's transaction: keep the handler from
    closing the connection after each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_answers_match_the_document(office, flagged, one_connection):  # noqa: F811
    schema = _schema()
    headers = {"Authorization": auth(office.officer)["HTTP_AUTHORIZATION"]}
    failures = []
    calls = [
        ("/api/v1/access-review/flags", "GET", {}, {"state": "open", "pageSize": 1}, None),
        ("/api/v1/access-review/flags/{id}", "GET", {"id": flagged.pk}, {}, None),
        (
            "/api/v1/access-review/flags/{id}/review",
            "POST",
            {"id": flagged.pk},
            {},
            {"state": "justified", "note": "Piketdienst die nacht."},
        ),
        ("/api/v1/access-review/weeks/{week}", "GET", {"week": "2026-W47"}, {}, None),
        ("/api/v1/access-review/weeks/{week}/report.pdf", "GET", {"week": "2026-W47"}, {}, None),
    ]
    for path, method, params, query, body in calls:
        extra = {"body": body, "media_type": "application/json"} if body else {}
        case = schema[path][method].Case(path_parameters=params, query=query, **extra)
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            assert response.status_code == 200, response.text[:300]
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 (collect them all)
            failures.append(_failure(f"{method} {path}", error))
    assert not failures, "\n\n".join(failures)
