"""The stored membership of the reports there are in the areas there are (issue 18): each
area's located reports in its bounding box, read by id in batches and tested against its
shape, as places/areas.py `area_reports_fill` does on an import."""

import shapely
from django.db import migrations
from shapely.geometry import shape

BATCH = 5_000


def fill(apps, schema_editor):
    Area = apps.get_model("places", "Area")
    AreaReport = apps.get_model("places", "AreaReport")
    Report = apps.get_model("reports", "Report")
    for area in Area.objects.order_by("pk"):
        shaped = shape(area.geometry)
        shapely.prepare(shaped)
        boxed = Report._base_manager.filter(
            lat__gte=area.min_lat,
            lat__lte=area.max_lat,
            lon__gte=area.min_lon,
            lon__lte=area.max_lon,
        ).order_by("pk")
        last = 0
        while located := list(boxed.filter(pk__gt=last).values_list("pk", "lat", "lon")[:BATCH]):
            pks, lats, lons = zip(*located, strict=True)
            hits = shapely.contains_xy(shaped, lons, lats)
            AreaReport.objects.bulk_create(
                [
                    AreaReport(area_id=area.pk, report_id=pk)
                    for pk, hit in zip(pks, hits, strict=True)
                    if hit
                ],
                ignore_conflicts=True,
            )
            last = pks[-1]


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0002_area_report"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
