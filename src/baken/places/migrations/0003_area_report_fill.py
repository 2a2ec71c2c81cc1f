"""The stored membership of the reports there are in the areas there are (issue 18): one pass
over the located reports in the areas' joint bounding box, read by id in batches (id, lat, lon
only), each batch tested against every area (a tree of the areas' boxes, then the exact test
on the shape) and written in bulk, as places/areas.py `areas_reports_fill` does.

Its effect is that of its first version (each area's reports tested in a pass of their own):
the same memberships, written in one pass over the reports instead of one per area."""

import numpy as np
import shapely
from django.db import migrations
from shapely.geometry import shape

BATCH = 5_000


def fill(apps, schema_editor):
    Area = apps.get_model("places", "Area")
    AreaReport = apps.get_model("places", "AreaReport")
    Report = apps.get_model("reports", "Report")
    areas = list(Area.objects.order_by("pk"))
    if not areas:
        return
    area_ids = np.array([area.pk for area in areas], dtype=np.int64)
    shapes = np.array([shape(area.geometry) for area in areas], dtype=object)
    shapely.prepare(shapes)
    tree = shapely.STRtree(shapes)
    located = Report._base_manager.filter(
        lat__gte=min(a.min_lat for a in areas),
        lat__lte=max(a.max_lat for a in areas),
        lon__gte=min(a.min_lon for a in areas),
        lon__lte=max(a.max_lon for a in areas),
    ).order_by("pk")
    last = 0
    while rows := list(located.filter(pk__gt=last).values_list("pk", "lat", "lon")[:BATCH]):
        pks, lats, lons = zip(*rows, strict=True)
        x, y = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
        at, area = tree.query(shapely.points(x, y))  # the boxes that hold the point
        hits = shapely.contains_xy(shapes[area], x[at], y[at])
        ids = np.asarray(pks, dtype=np.int64)
        AreaReport.objects.bulk_create(
            [
                AreaReport(area_id=a, report_id=r)
                for a, r in zip(area_ids[area[hits]].tolist(), ids[at[hits]].tolist(), strict=True)
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        last = pks[-1]


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0002_area_report"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
