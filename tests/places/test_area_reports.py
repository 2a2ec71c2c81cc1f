"""The stored membership of reports in areas (issue 18): the area filter of the inbox and the
API reads it, exact (a report in the box but outside the shape is not shown), kept true when
a report is filed or its point corrected, when areas are imported again or removed, and
when a report is destroyed; the number of queries stays flat and, on PostgreSQL, the
filter reads the membership's index."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.core.roles import Role
from baken.places.areas import DEMO_AREAS
from baken.places.models import Area, AreaReport
from baken.reports.models import Report
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db
INBOX = reverse("reports:inbox")
API = "/api/v1/reports"
HAVENWAARD = (52.945, 4.75)
DORPEN = (52.97, 4.75)
BOX_ONLY = (52.9345, 4.7165)  # in Havenwaard's bounding box, outside its polygon


def filed(team, lat, lon, text="Hennepgeur bij de schuur, genoeg tekst.") -> Report:
    """A report filed with a point on the map (intake), then in `team`'s queue."""
    report = file_report(description=text, location={"point": {"lat": lat, "lon": lon}})
    report = Report.objects.get(pk=report.pk)
    report.team = team
    report.save(update_fields=["team"])  # as routing does: the memberships' copy follows
    return report


def auth(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


def api_refs(client, user, area) -> set[str]:
    response = client.get(API, {"area": area}, **auth(user))
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    refs = {r["reference"] for r in body["results"]}
    assert body["count"] == len(refs)
    return refs


def inbox_refs(browser, area, reports) -> set[str]:
    page = browser.get(INBOX, {"area": area}).content.decode()
    return {r.reference for r in reports if r.reference in page}


def square(code, lon0, lat0, size):
    ring = [[lon0, lat0], [lon0 + size, lat0], [lon0 + size, lat0 + size], [lon0, lat0 + size]]
    return {
        "type": "Feature",
        "properties": {"code": code, "name": code.title()},
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
    }


def import_areas(tmp_path, *features, replace=False):
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    call_command("areas", "import", *(["--replace"] if replace else []), str(path), verbosity=0)


@pytest.fixture
def demo_areas():
    call_command("areas", "import", str(DEMO_AREAS), verbosity=0)


@pytest.fixture
def lead(make_user):
    return make_user(role=Role.TEAM_LEAD)


def test_the_area_filter_is_exact_in_the_inbox_and_the_api(
    demo_areas, lead, verified_client, client, south
):
    inside = filed(lead.team, *HAVENWAARD)
    box_only = filed(lead.team, *BOX_ONLY)
    dorpen = filed(lead.team, *DORPEN)
    other_team = filed(south, *HAVENWAARD)
    everything = (inside, box_only, dorpen, other_team)
    browser = verified_client(lead)
    assert inbox_refs(browser, "havenwaard", everything) == {inside.reference}
    assert inbox_refs(browser, "dorpen", everything) == {dorpen.reference}
    assert api_refs(client, lead, "havenwaard") == {inside.reference}
    # The filter narrows what the user may see: another team's report in the area stays out.
    assert other_team.reference not in api_refs(client, lead, "havenwaard")


def test_nested_areas_hold_a_report_in_each(tmp_path, lead, client):
    import_areas(tmp_path, square("wijk", 4.70, 52.90, 0.10), square("buurt", 4.70, 52.90, 0.02))
    in_both = filed(lead.team, 52.91, 4.71)
    wijk_only = filed(lead.team, 52.95, 4.75)
    assert api_refs(client, lead, "wijk") == {in_both.reference, wijk_only.reference}
    assert api_refs(client, lead, "buurt") == {in_both.reference}


def test_a_corrected_point_moves_the_report_out_of_the_area(demo_areas, lead, client):
    report = filed(lead.team, *HAVENWAARD)
    assert api_refs(client, lead, "havenwaard") == {report.reference}
    body = {
        "revision": report.revision,
        "reason": "Locatie gecorrigeerd op de kaart.",
        "changes": {"location": {"point": {"lat": DORPEN[0], "lon": DORPEN[1]}}},
    }
    response = client.patch(
        f"{API}/{report.pk}", body, content_type="application/json", **auth(lead)
    )
    assert response.status_code == 200, response.content[:300]
    assert api_refs(client, lead, "havenwaard") == set()
    assert api_refs(client, lead, "dorpen") == {report.reference}


def test_a_reimport_with_another_shape_and_a_removal_change_what_is_in_the_area(
    tmp_path, lead, client
):
    import_areas(tmp_path, square("gebied", 4.70, 52.90, 0.02), square("ander", 5.0, 52.0, 0.01))
    west = filed(lead.team, 52.91, 4.71)
    east = filed(lead.team, 52.91, 4.75)
    assert api_refs(client, lead, "gebied") == {west.reference}
    import_areas(tmp_path, square("gebied", 4.74, 52.90, 0.02), square("ander", 5.0, 52.0, 0.01))
    assert api_refs(client, lead, "gebied") == {east.reference}
    import_areas(tmp_path, square("ander", 5.0, 52.0, 0.01), replace=True)
    assert not Area.objects.filter(code="gebied").exists()
    assert not AreaReport.objects.exists()  # the removed area's memberships went with it
    # One area removed, as the log says: not the area and its membership counted together.
    from baken.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="area.import").last().detail["removed"] == 1


def test_a_destroyed_report_takes_its_memberships_along(demo_areas, lead):
    """Destroyed as the retention run destroys it (privacy/destruction.py), not by hand."""
    from datetime import timedelta

    from django.utils import timezone

    from baken.privacy import retention
    from baken.privacy.destruction import destroy_reports
    from baken.privacy.models import RetentionRule, RetentionRun, RuleKind, RuleState

    report, kept = filed(lead.team, *HAVENWAARD), filed(lead.team, *DORPEN)
    assert AreaReport.objects.filter(report=report).count() == 1
    now = timezone.now()
    # Decided "no action" long ago: the retention rule's period has passed.
    Report.objects.filter(pk=report.pk).update(
        status=retention.STATUSES[RuleKind.REPORT_NO_ACTION][0],
        weighed_at=now - timedelta(days=800),
    )
    rule = RetentionRule.objects.get(kind=RuleKind.REPORT_NO_ACTION, state=RuleState.IN_FORCE)
    due = list(retention.reports_decided(rule, now).values_list("pk", flat=True))
    assert due == [report.pk]
    outcome = destroy_reports(
        pks=due,
        statuses=retention.STATUSES[RuleKind.REPORT_NO_ACTION],
        run=RetentionRun.objects.create(started_at=now),
        rule=rule,
        now=now,
    )
    assert outcome.destroyed == 1 and not Report.objects.filter(pk=report.pk).exists()
    assert not AreaReport.objects.filter(report_id=report.pk).exists()
    # The other report's membership stays.
    assert list(AreaReport.objects.values_list("report_id", "area__code")) == [(kept.pk, "dorpen")]


def test_rebuild_recomputes_memberships_of_reports_loaded_without_their_save(demo_areas, lead):
    report = filed(lead.team, *HAVENWAARD)
    AreaReport.objects.all().delete()
    call_command("areas", "rebuild", verbosity=0)
    assert list(AreaReport.objects.values_list("report_id", "area__code")) == [
        (report.pk, "havenwaard")
    ]


def area_page_queries(browser) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = browser.get(INBOX, {"area": "havenwaard"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_number_of_queries_of_the_area_filter_stays_flat(demo_areas, lead, verified_client):
    browser = verified_client(lead)  # a verified session, its idle clock set
    for _ in range(2):
        filed(lead.team, *HAVENWAARD)
    few = area_page_queries(browser)
    for _ in range(6):
        filed(lead.team, *HAVENWAARD)
        filed(lead.team, *BOX_ONLY)
    assert area_page_queries(browser) == few


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="An EXPLAIN of PostgreSQL's planner: SQLite's plans name no such choice",
)
def test_the_area_filter_reads_the_membership_index(demo_areas, lead, verified_client):
    for _ in range(3):
        filed(lead.team, *HAVENWAARD)
    with CaptureQueriesContext(connection) as ctx:
        assert verified_client(lead).get(INBOX, {"area": "havenwaard"}).status_code == 200
    area_sql = [q["sql"] for q in ctx.captured_queries if "places_areareport" in q["sql"]]
    assert area_sql, "the area filter did not read the membership"
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table: ask what the index gives
        for sql in area_sql:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            # The area's memberships by report, or those of the team (area_report_team_idx).
            assert "area_report_unique" in plan or "area_report_team_idx" in plan, plan
        cursor.execute("RESET enable_seqscan")
