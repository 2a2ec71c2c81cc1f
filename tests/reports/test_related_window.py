"""The related-reports panel at a national scale: shared addresses and identifiers are looked
for in every report the user may see, similar names and closeness in place and time only in
the newest FUZZY_WINDOW reports (bench/README.md: over the whole scope that took seconds at
1,000,000 reports). The panel says so, and its queries do not grow with the reports."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.core.roles import Role
from baken.reports import related
from baken.reports.models import Report
from baken.reports.related import related_for
from tests.reports.test_related import NEAR_POINT, POINT, file_report, observed

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user, north):
    return make_user(role=Role.ANALYST, team=north)


@pytest.fixture
def report(north):
    return file_report(
        north,
        location={"address": {"postcode": "1781 AB", "house_number": 3}, "point": POINT},
        observed_at=observed(10),
        subjects=[{"type": "person", "name": "Jan de Vries", "bsn": "111222333"}],
    )


def test_the_panel_says_where_names_and_places_are_looked_for(verified_client, analyst, report):
    browser = verified_client(analyst)
    panel = browser.get(reverse("reports:related", args=[report.pk])).content.decode()
    assert "Hetzelfde adres, BSN, KvK-nummer of kenteken wordt gezocht in alle meldingen" in panel
    assert "alleen in de 2000 meest recente meldingen die u mag zien" in panel


def test_names_and_places_beyond_the_window_are_not_suggested_addresses_still_are(
    analyst, north, report, monkeypatch
):
    older = {
        "address": file_report(
            north, location={"address": {"postcode": "1781AB", "house_number": 3}}
        ),
        "name": file_report(north, subjects=[{"type": "person", "name": "J. de Vries"}]),
        "place": file_report(north, location={"point": NEAR_POINT}, observed_at=observed(5)),
    }
    newer = [file_report(north, description=f"Iets anders, nummer {i}.") for i in range(3)]
    # Received in this order: the three unrelated ones are the newest.
    for i, other in enumerate([*older.values(), *newer]):
        moment = report.received_at + timedelta(minutes=i + 1)
        Report.objects.filter(pk=other.pk).update(received_at=moment)

    def found() -> set[int]:
        return {item.report.pk for item in related_for(user=analyst, report=report)}

    assert found() == {other.pk for other in older.values()}
    monkeypatch.setattr(related, "FUZZY_WINDOW", 3)
    assert found() == {older["address"].pk}


def test_the_panel_query_count_does_not_grow_with_names_and_places(
    verified_client, analyst, north, report, django_assert_max_num_queries
):
    browser = verified_client(analyst)
    url = reverse("reports:related", args=[report.pk])
    counts = []
    for extra in (2, 40):
        for n in range(extra):
            file_report(
                north,
                description=f"Weer Jan de Vries in de buurt, nummer {n}.",
                location={"point": NEAR_POINT},
                observed_at=observed(3),
                subjects=[{"type": "person", "name": f"Jan de Vries {n}"}],
            )
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(30):
        browser.get(url)
