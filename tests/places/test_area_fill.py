"""The fill of the stored membership (issue 18) is one pass over the reports in id batches,
each batch tested against every area (bounding boxes, then the shape): whichever way it runs
(an import, `baken areas rebuild`, small batches, places migration 0003, the demo loader's
`area_reports_add`), the membership table afterwards is exactly what a point-in-polygon
test of every report against every area, one at a time, says: nested, overlapping and
adjacent areas, a hole, a MultiPolygon, points inside, outside, on an edge and on a corner,
and reports without a point."""

import importlib
import json

import pytest
import shapely
from django.apps import apps
from django.core.management import call_command
from shapely.geometry import shape

from baken.places.areas import area_reports_add, areas_reports_fill
from baken.places.models import Area, AreaReport
from baken.reports.models import Report
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db


def polygon(code, *rings):
    return {
        "type": "Feature",
        "properties": {"code": code, "name": code.title()},
        "geometry": {"type": "Polygon", "coordinates": [[*r, r[0]] for r in rings]},
    }


def box(lon0, lat0, lon1, lat1):
    return [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1]]


FEATURES = [
    polygon("wijk", box(4.70, 52.90, 4.80, 53.00)),
    polygon("buurt", box(4.70, 52.90, 4.72, 52.92)),  # nested, sharing two edges
    polygon("overlap", box(4.76, 52.96, 4.86, 53.06)),  # overlaps wijk's corner
    polygon("naast", box(4.80, 52.90, 4.90, 53.00)),  # adjacent: wijk's east edge
    polygon("ring", box(4.72, 52.92, 4.78, 52.98), box(4.74, 52.94, 4.76, 52.96)),  # a hole
    polygon("driehoek", [[4.70, 52.90], [4.80, 53.00], [4.70, 53.00]]),  # a diagonal edge
    {
        "type": "Feature",
        "properties": {"code": "multi", "name": "Multi"},
        "geometry": {
            "type": "MultiPolygon",
            "coordinates": [
                [[*box(4.73, 52.93, 4.75, 52.95), [4.73, 52.93]]],
                [[*box(5.00, 52.00, 5.02, 52.02), [5.00, 52.00]]],
            ],
        },
    },
]
# A grid whose lines run along the areas' edges and through their corners, plus points
# on the diagonal, in the hole, far away, and none at all.
POINTS = [
    (round(52.88 + 0.02 * i, 2), round(4.68 + 0.02 * j, 2)) for i in range(7) for j in range(12)
] + [
    (52.91, 4.71),
    (52.95, 4.75),
    (52.93, 4.73),
    (52.95, 4.75001),
    (52.01, 5.01),
    (52.0, 5.0),
    (None, None),
]


@pytest.fixture
def reports():
    """Reports with those points, written without their save (no membership yet)."""
    made = []
    for lat, lon in POINTS:
        report = file_report()
        Report.objects.filter(pk=report.pk).update(lat=lat, lon=lon)
        made.append(report.pk)
    return made


def import_areas(tmp_path):
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": FEATURES}))
    call_command("areas", "import", str(path), verbosity=0)


def brute_force() -> set[tuple[str, int]]:
    """Every report against every area, one point and one area at a time."""
    areas = [(a.code, shape(a.geometry)) for a in Area.objects.all()]
    located = Report._base_manager.exclude(lat=None).exclude(lon=None)
    return {
        (code, pk)
        for pk, lat, lon in located.values_list("pk", "lat", "lon")
        for code, shaped in areas
        if shapely.contains_xy(shaped, lon, lat)
    }


def stored() -> set[tuple[str, int]]:
    rows = list(AreaReport.objects.values_list("area__code", "report_id"))
    assert len(rows) == len(set(rows))
    return set(rows)


def test_the_import_fills_what_a_brute_force_test_finds(reports, tmp_path):
    import_areas(tmp_path)
    expected = brute_force()
    # The cases the test is for are there: nested, an edge shared, a hole, none.
    assert {code for code, _ in expected} == {f["properties"]["code"] for f in FEATURES}
    assert ("buurt", reports[POINTS.index((52.90, 4.70))]) not in expected  # a corner
    assert ("ring", reports[POINTS.index((52.95, 4.75))]) not in expected  # the hole
    assert ("multi", reports[POINTS.index((52.01, 5.01))]) in expected
    assert stored() == expected


@pytest.mark.parametrize("batch", [1, 7, 5_000])
def test_a_fill_in_batches_of_any_size_finds_the_same(reports, tmp_path, batch):
    import_areas(tmp_path)
    expected = brute_force()
    AreaReport.objects.all().delete()
    AreaReport.objects.create(area=Area.objects.get(code="wijk"), report_id=reports[-1])  # stale
    assert areas_reports_fill(Area.objects.all(), batch=batch) == len(expected)
    assert stored() == expected


def test_rebuild_and_a_reimport_of_one_shape_find_the_same(reports, tmp_path):
    import_areas(tmp_path)
    expected = brute_force()
    AreaReport.objects.all().delete()
    call_command("areas", "rebuild", verbosity=0)
    assert stored() == expected
    # One area reshaped: only its memberships change, the others' stay.
    FEATURES[1] = polygon("buurt", box(4.70, 52.90, 4.74, 52.94))
    try:
        import_areas(tmp_path)
    finally:
        FEATURES[1] = polygon("buurt", box(4.70, 52.90, 4.72, 52.92))
    assert stored() == brute_force() != expected


def test_migration_0003_and_the_demo_loader_find_the_same(reports, tmp_path):
    import_areas(tmp_path)
    expected = brute_force()
    AreaReport.objects.all().delete()
    importlib.import_module("baken.places.migrations.0003_area_report_fill").fill(apps, None)
    assert stored() == expected
    AreaReport.objects.all().delete()
    located = Report._base_manager.values_list("pk", "lat", "lon", "team_id")
    assert area_reports_add(located) == len(expected)
    assert stored() == expected
