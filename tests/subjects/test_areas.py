"""Areas: the GeoJSON import (good and bad files), point in polygon, and the inbox filter by
area code next to the postcode prefix it had before."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from baken.core.roles import Role
from baken.places.areas import DEMO_AREAS, area_for, point_in_geometry
from baken.places.models import Area
from baken.reports.models import Report
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db

HAVENWAARD = (52.945, 4.75)
DORPEN = (52.97, 4.75)
# Inside Havenwaard's bounding box, outside its polygon (west of its slanted south-west edge).
BOX_ONLY = (52.9345, 4.7165)


def write(tmp_path, data, name="areas.geojson"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def square(code, name, lon0, lat0, size=0.01, **properties):
    ring = [[lon0, lat0], [lon0 + size, lat0], [lon0 + size, lat0 + size], [lon0, lat0 + size]]
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, **properties},
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
    }


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def demo_areas(capsys):
    call_command("areas", "import", str(DEMO_AREAS))
    return capsys.readouterr().out


def located(team, lat, lon, **fields) -> Report:
    """A report filed with a point on the map (intake stores which areas hold it)."""
    report = file_report(location={"point": {"lat": lat, "lon": lon}})
    Report.objects.filter(pk=report.pk).update(**fields)
    report = Report.objects.get(pk=report.pk)
    # Routed as routing routes: a save of the team, which its area memberships' copy follows.
    report.team = team
    report.save(update_fields=["team"])
    return report


def test_import_the_demo_areas_and_again(demo_areas, capsys):
    assert "2 areas created, 0 updated" in demo_areas
    havenwaard = Area.objects.get(code="havenwaard")
    assert havenwaard.name == "Havenwaard" and havenwaard.kind == "wijk"
    assert (havenwaard.min_lat, havenwaard.max_lat) == (52.932, 52.9612)
    assert (havenwaard.min_lon, havenwaard.max_lon) == (4.716, 4.8)
    call_command("areas", "import", str(DEMO_AREAS))
    assert "0 areas created, 2 updated" in capsys.readouterr().out
    assert Area.objects.count() == 2


def test_import_updates_by_code_and_replace_removes_the_rest(tmp_path, capsys):
    call_command("areas", "import", write(tmp_path, collection(square("a", "A", 4.7, 52.9))))
    call_command("areas", "import", write(tmp_path, collection(square("b", "B", 4.8, 52.9))))
    assert set(Area.objects.values_list("code", flat=True)) == {"a", "b"}
    renamed = collection(square("b", "Bee", 4.8, 52.9, kind="buurt"))
    call_command("areas", "import", "--replace", write(tmp_path, renamed))
    assert "0 areas created, 1 updated, 1 removed" in capsys.readouterr().out
    assert list(Area.objects.values_list("code", "name", "kind")) == [("b", "Bee", "buurt")]


def test_multipolygon_import(tmp_path):
    one, two = square("x", "X", 4.7, 52.9), square("x", "X", 4.9, 52.9)
    feature = {
        "type": "Feature",
        "properties": {"code": "x", "name": "Twee delen"},
        "geometry": {
            "type": "MultiPolygon",
            "coordinates": [one["geometry"]["coordinates"], two["geometry"]["coordinates"]],
        },
    }
    call_command("areas", "import", write(tmp_path, collection(feature)))
    area = Area.objects.get(code="x")
    assert (area.min_lon, area.max_lon) == (4.7, 4.91)
    assert area_for(52.905, 4.905).code == "x"
    assert area_for(52.905, 4.8) is None  # between the two parts, inside the box


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ({"type": "Feature"}, "FeatureCollection"),
        (collection(), "no features"),
        (
            collection(
                {"type": "Feature", "properties": {"code": "p", "name": "P"}, "geometry": None}
            ),
            "Polygon or MultiPolygon",
        ),
        (
            collection(
                {
                    "type": "Feature",
                    "properties": {"code": "p", "name": "P"},
                    "geometry": {"type": "Point", "coordinates": [4.7, 52.9]},
                }
            ),
            "Polygon or MultiPolygon",
        ),
        (collection(square("", "Naamloos", 4.7, 52.9)), "code and a name"),
        (collection(square("a", "A", 4.7, 52.9), square("a", "A2", 4.8, 52.9)), "occurs twice"),
        (collection(square("a", "A", 200, 52.9)), "longitude and latitude"),
        (
            collection(
                {
                    "type": "Feature",
                    "properties": {"code": "p", "name": "P"},
                    "geometry": {"type": "Polygon", "coordinates": [[[4.7, 52.9], [4.8, 52.9]]]},
                }
            ),
            "at least four positions",
        ),
    ],
)
def test_bad_files_give_a_clear_error_and_change_nothing(tmp_path, content, message):
    call_command("areas", "import", write(tmp_path, collection(square("keep", "K", 4.7, 52.9))))
    with pytest.raises(CommandError, match=message):
        call_command("areas", "import", write(tmp_path, content, "bad.geojson"))
    assert list(Area.objects.values_list("code", flat=True)) == ["keep"]


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("areas", "import", str(tmp_path / "nope.geojson"))


def test_point_in_polygon_with_a_hole():
    outer = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    geometry = {"type": "Polygon", "coordinates": [outer, hole]}
    assert point_in_geometry(2, 2, geometry)  # lat 2, lon 2
    assert not point_in_geometry(5, 5, geometry)  # in the hole
    assert not point_in_geometry(5, 11, geometry)
    assert not point_in_geometry(-1, 5, geometry)


def test_area_for_the_demo_points(demo_areas):
    assert area_for(*HAVENWAARD).code == "havenwaard"
    assert area_for(*DORPEN).code == "dorpen"
    assert area_for(*BOX_ONLY) is None
    assert area_for(None, 4.75) is None
    assert area_for(60.0, 4.75) is None


def test_inbox_filters_by_area_code_exactly_and_by_postcode_prefix(
    demo_areas, make_user, verified_client
):
    lead = make_user(role=Role.TEAM_LEAD)
    inside = located(lead.team, *HAVENWAARD, postcode="1791AB")
    box_only = located(lead.team, *BOX_ONLY, postcode="1781AB")
    dorpen = located(lead.team, *DORPEN, postcode="1781AC")
    browser = verified_client(lead)

    def shown(area):
        page = browser.get(reverse("reports:inbox"), {"area": area}).content.decode()
        return {r.reference for r in (inside, box_only, dorpen) if r.reference in page}

    assert shown("havenwaard") == {inside.reference}
    assert shown("dorpen") == {dorpen.reference}
    assert shown("1781") == {box_only.reference, dorpen.reference}  # a prefix, as before
    assert shown("1781 ab") == {box_only.reference}
