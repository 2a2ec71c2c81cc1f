"""The request's page and the API's changes of a request read the same number of queries
whether 2 or 12 reports are confirmed (issue 16, review finding 7): what exists, what is
restricted, the hand-overs that held a changed item and their notices are read per kind of
item, not per item."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baken.rights import changes
from tests.api.test_triage_api import auth
from tests.rights.helpers import BIRTH, NAME, file, person_everywhere
from tests.rights.test_changes import _confirm, _request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["erasure", "objection"])
def test_the_changes_do_not_grow_with_the_confirmed_items(
    kind, make_user, verified_client, settings
):
    settings.RATELIMIT_ENABLE = False  # more reports than the Meldpunt takes from one client
    person = person_everywhere(make_user)
    officer = person.officer
    request = _request(officer, kind)
    page_client, api_client, headers = verified_client(officer), Client(), auth(officer)
    _confirm(officer, request, "subject", person.subject.pk)
    _confirm(officer, request, "case", person.case.pk)

    def confirm(report) -> None:
        hit = _confirm(officer, request, "report", report.pk)
        if kind == "objection":  # restricted: its hand-overs are listed to tell
            changes.hit_restrict(actor=officer, pk=request.pk, hit_pk=hit.pk)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert page_client.get(f"/verzoeken/{request.pk}").status_code == 200
        with CaptureQueriesContext(connection) as api:
            answer = api_client.get(f"/api/v1/rights/requests/{request.pk}/changes", **headers)
            assert answer.status_code == 200
        return len(page), len(api)

    for report in (person.registered, person.named):
        confirm(report)
    before = queries()
    for n in range(10):
        confirm(
            file(
                f"Nog een melding over {NAME}, nummer {n}.",
                [{"type": "person", "name": NAME, "birth_date": BIRTH}],
                person.analyst.team,
            )
        )
    after = queries()
    assert after[0] <= before[0] + 1, (before, after)  # a cache may differ by one
    assert after[1] <= before[1] + 1, (before, after)
