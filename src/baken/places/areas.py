"""Areas (districts, neighbourhoods): GeoJSON import, point in polygon, and the filter of
reports by area (issue 5, item 6; issue 18).

Point in polygon is shapely's (GEOS): `contains_xy` over the GeoJSON geometry, holes
excluded, vectorised over the coordinates of many reports at once. Lat/lon are treated as a
plane, which is right at the scale of a town.

Reports are filtered by area through their stored membership (AreaReport, issue 18): the
exact test is run once, where a report's point or an area's shape changes, not per request,
and the filter is a semi-join on the (area, report) index, exact whatever the number of
reports in the area. Where it is kept true:
- a report saved with a new point (intake, the correction of a report): places/signals.py;
- an area imported or re-imported with another shape: `areas_import` recomputes the
  memberships of the reshaped areas in one pass over the reports in id batches, each batch
  tested against all of them (`areas_reports_fill`), in the import's transaction; a removed
  area's memberships go with it (CASCADE), as a destroyed report's do;
- reports inserted in bulk without their save (the demo data): `area_reports_add`.
`baken areas rebuild` recomputes every area's memberships (after loading reports by hand).

Other rows with lat/lon (addresses, subjects on the map) are filtered in two steps: the
area's bounding box in SQL, then the exact test in Python over the ids and coordinates of
only those rows, giving an `id IN (...)` filter; MAX_REFINED bounds it.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from django.db import connection, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.actors import SYSTEM, Actor

from .models import Area, AreaReport

# Above this many located reports in an area's bounding box the filter keeps the box alone
# (and says so), rather than testing them all in Python per request.
MAX_REFINED = 50_000
# Reports read (and memberships written) per step when an area's memberships are recomputed.
FILL_BATCH = 5_000
DEMO_AREAS = Path(__file__).parent / "data" / "demo-areas.geojson"
Ring = list[tuple[float, float]]  # (lon, lat), as GeoJSON


class AreaFileError(ValueError):
    """A GeoJSON file that cannot be imported; the message says what and where."""


@dataclass(frozen=True)
class AreaData:
    code: str
    name: str
    kind: str
    geometry: dict
    bbox: tuple[float, float, float, float]  # min_lat, min_lon, max_lat, max_lon


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    removed: int


# --- geometry --------------------------------------------------------------------------------


def _shape(geometry: dict) -> BaseGeometry:
    """The GeoJSON geometry as a prepared shapely geometry (x = longitude, y = latitude)."""
    found = shape(geometry)
    shapely.prepare(found)
    return found


def point_in_geometry(lat: float, lon: float, geometry: dict) -> bool:
    """Whether the point lies in a GeoJSON Polygon or MultiPolygon (holes excluded)."""
    return bool(shapely.contains_xy(_shape(geometry), lon, lat))


def _area_shape(area: Area) -> BaseGeometry:
    """The area's prepared geometry, kept on the instance: the figures test every located
    report against the same few areas, and preparing costs ten times the test."""
    kept = area.__dict__.get("_prepared")
    if kept is None or kept[0] is not area.geometry:
        kept = (area.geometry, _shape(area.geometry))
        area.__dict__["_prepared"] = kept
    return kept[1]


def _in_box(area: Area, lat: float, lon: float) -> bool:
    return area.min_lat <= lat <= area.max_lat and area.min_lon <= lon <= area.max_lon


def area_for(lat: float | None, lon: float | None, areas: Iterable[Area] | None = None):
    """The area the point lies in (the smallest, when areas nest), or None."""
    if lat is None or lon is None:
        return None
    if areas is None:
        areas = Area.objects.filter(
            min_lat__lte=lat, max_lat__gte=lat, min_lon__lte=lon, max_lon__gte=lon
        )
    hits = [
        a for a in areas if _in_box(a, lat, lon) and shapely.contains_xy(_area_shape(a), lon, lat)
    ]
    return min(hits, key=lambda a: (a.max_lat - a.min_lat) * (a.max_lon - a.min_lon), default=None)


# --- filtering reports -----------------------------------------------------------------------


def box_q(area: Area, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}lat__gte": area.min_lat,
            f"{prefix}lat__lte": area.max_lat,
            f"{prefix}lon__gte": area.min_lon,
            f"{prefix}lon__lte": area.max_lon,
        }
    )


def _is_report(rows: QuerySet) -> bool:
    return rows.model is AreaReport._meta.get_field("report").related_model


def in_area(rows: QuerySet, area: Area, *, teams: Iterable[int | None] | None = None) -> QuerySet:
    """`rows` (anything with lat/lon: reports, subjects) limited to those inside the area.

    Reports: those with a stored membership of the area, a semi-join on its index (no extra
    query). `teams`: the teams every one of the reports `rows` gives is of (None: of no
    team), when the caller's filter says so (the inbox's part of a team's reports); where
    the area's memberships carry their report's team (Area.teams_known), the semi-join
    reads only those of these teams (AreaReport.team, area_report_team_idx): a few where the
    area is far from the team's patch, instead of testing every report of the team against
    the area. The same reports, as `rows` says the team itself.

    Other rows: one extra query reads (id, lat, lon) of the rows in the bounding box; the
    exact test runs on those. Above MAX_REFINED the bounding box alone is the filter."""
    if _is_report(rows):
        members = AreaReport.objects.filter(area=area)
        if teams is not None and area.teams_known:
            teams = set(teams)
            of = Q(team__in=sorted(t for t in teams if t is not None))
            members = members.filter(of | Q(team__isnull=True) if None in teams else of)
        return rows.filter(pk__in=members.values("report_id"))
    boxed = rows.filter(box_q(area))
    located = list(boxed.order_by().values_list("pk", "lat", "lon")[: MAX_REFINED + 1])
    if len(located) > MAX_REFINED:
        return boxed
    if not located:
        return rows.none()
    pks, lats, lons = zip(*located, strict=True)
    hits = shapely.contains_xy(_area_shape(area), lons, lats)
    inside = [pk for pk, hit in zip(pks, hits, strict=True) if hit]
    return rows.filter(pk__in=inside)


# --- stored membership (AreaReport) ----------------------------------------------------------


def areas_at(lat: float | None, lon: float | None) -> list[Area]:
    """Every area the point lies in (areas nest): one query for the areas whose box holds it."""
    if lat is None or lon is None:
        return []
    boxed = Area.objects.filter(
        min_lat__lte=lat, max_lat__gte=lat, min_lon__lte=lon, max_lon__gte=lon
    ).only("pk", "geometry")
    return [a for a in boxed if shapely.contains_xy(_area_shape(a), lon, lat)]


UNKNOWN = object()  # a report's team not loaded (report_areas_set)


def report_areas_set(
    report_id: int, lat: float | None, lon: float | None, *, new: bool, team=UNKNOWN
) -> None:
    """Make the memberships of one report those of its point; `new`: it has none yet.
    `team`: the report's team (an id, or None), copied onto its memberships; UNKNOWN when
    the save did not load it (then read for new memberships; the others keep theirs)."""
    wanted = {area.pk for area in areas_at(lat, lon)}
    have: dict[int, int | None] = {}
    if not new:
        have = dict(
            AreaReport.objects.filter(report_id=report_id).values_list("area_id", "team_id")
        )
        if gone := have.keys() - wanted:
            AreaReport.objects.filter(report_id=report_id, area_id__in=gone).delete()
        if team is not UNKNOWN and any(had != team for pk, had in have.items() if pk in wanted):
            report_team_set(report_id, team)
    if (added := wanted - have.keys()) and team is UNKNOWN:
        reports = AreaReport._meta.get_field("report").related_model._base_manager
        team = reports.filter(pk=report_id).values_list("team_id", flat=True).first()
    if added:
        AreaReport.objects.bulk_create(
            [AreaReport(area_id=pk, report_id=report_id, team_id=team) for pk in sorted(added)]
        )


def report_team_set(report_id: int, team: int | None) -> None:
    """Copy a report's new team onto its memberships (in the transaction of the change)."""
    memberships = AreaReport.objects.filter(report_id=report_id)
    if team is None:
        memberships.filter(team__isnull=False).update(team_id=None)
    else:
        memberships.exclude(team_id=team).update(team_id=team)


class _Shapes:
    """Areas' prepared shapes and a tree of their bounding boxes: a batch of points is first
    matched to the areas whose box holds it (the tree), then each such pair gets the exact
    test, `contains_xy` on the area's shape, all in one vectorised call."""

    def __init__(self, areas: Iterable[Area]):
        areas = list(areas)
        self.pks = np.array([area.pk for area in areas], dtype=np.int64)
        self.shapes = np.array([_area_shape(area) for area in areas], dtype=object)
        self.tree = shapely.STRtree(self.shapes)
        # The boxes of all areas together (min_lat, min_lon, max_lat, max_lon): a first
        # filter in SQL, so the pass reads only reports that may lie in one of them.
        self.box = (
            min(a.min_lat for a in areas),
            min(a.min_lon for a in areas),
            max(a.max_lat for a in areas),
            max(a.max_lon for a in areas),
        )

    def pairs(self, pks, lats, lons) -> list[tuple[int, int]]:
        """(area id, report id) of every report of the batch in every area it lies in."""
        x, y = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
        at, area = self.tree.query(shapely.points(x, y))  # box holds point (edges included)
        hits = shapely.contains_xy(self.shapes[area], x[at], y[at])
        ids = np.asarray(pks, dtype=np.int64)
        return list(zip(self.pks[area[hits]].tolist(), ids[at[hits]].tolist(), strict=True))


def areas_reports_fill(areas: Iterable[Area], *, batch: int = FILL_BATCH) -> int:
    """Recompute the memberships of these areas from their shapes, in one pass over the
    reports: their old memberships deleted, the located reports in the areas' joint box read
    by id in batches of `batch` (id, lat, lon and team only), each batch tested against every
    area (bounding box, then the shape) and its memberships written in bulk with the report's
    team; returns how many memberships were written. Runs in the caller's transaction (the
    import's, the rebuild's). A membership written meanwhile by a report's save is kept (no
    conflict)."""
    areas = list(areas)
    if not areas:
        return 0
    for start in range(0, len(areas), 500):
        AreaReport.objects.filter(area_id__in=[a.pk for a in areas[start : start + 500]]).delete()
    shapes = _Shapes(areas)
    min_lat, min_lon, max_lat, max_lon = shapes.box
    reports = AreaReport._meta.get_field("report").related_model._base_manager
    located = reports.filter(
        lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon
    ).order_by("pk")
    last, written = 0, 0
    fields = ("pk", "lat", "lon", "team_id")
    while rows := list(located.filter(pk__gt=last).values_list(*fields)[:batch]):
        pks, lats, lons, teams = zip(*rows, strict=True)
        found = shapes.pairs(pks, lats, lons)
        team_of = dict(zip(pks, teams, strict=True))
        AreaReport.objects.bulk_create(
            [AreaReport(area_id=a, report_id=r, team_id=team_of[r]) for a, r in found],
            batch_size=batch,
            ignore_conflicts=True,
        )
        written += len(found)
        last = pks[-1]
    ids = [a.pk for a in areas]
    Area.objects.filter(pk__in=ids).update(teams_known=True)
    # A report's team changed while this ran may have a stale copy (its change waited on
    # the memberships deleted above and did not see the new ones): looked at once more
    # when this commits (the rebuild's or the import's transaction).
    transaction.on_commit(lambda: area_report_teams_repair(ids, batch=batch))
    return written


def area_report_teams_repair(area_ids: list[int], *, batch: int = FILL_BATCH) -> int:
    """Set each membership of these areas whose copy of its report's team differs from the
    report's team to that team; returns how many were set. In batches of memberships by
    id, each its own transaction that first locks the batch's reports (FOR NO KEY UPDATE):
    a team change still being saved holds its report and is waited for, so each copy is
    compared with a committed team."""
    reports = AreaReport._meta.get_field("report").related_model._base_manager
    rows = AreaReport.objects.filter(area_id__in=area_ids).order_by("pk")
    last, repaired = 0, 0
    while ids := list(rows.filter(pk__gt=last).values_list("pk", "report_id")[:batch]):
        last = ids[-1][0]
        with transaction.atomic():
            locked = reports.select_for_update(no_key=True).filter(pk__in={r for _, r in ids})
            team_of = dict(locked.values_list("pk", "team_id"))
            stale: dict[int | None, list[int]] = {}
            for pk, copy, report in AreaReport.objects.filter(
                pk__in=[pk for pk, _ in ids]
            ).values_list("pk", "team_id", "report_id"):
                if report in team_of and team_of[report] != copy:
                    stale.setdefault(team_of[report], []).append(pk)
            for team, pks in stale.items():
                repaired += AreaReport.objects.filter(pk__in=pks).update(team_id=team)
    return repaired


def area_reports_fill(area: Area, *, batch: int = FILL_BATCH) -> int:
    """Recompute one area's memberships (`areas_reports_fill` of that area alone); returns
    how many reports lie in it."""
    return areas_reports_fill([area], batch=batch)


def area_reports_add(
    located: Iterable[tuple[int, float | None, float | None, int | None]],
) -> int:
    """Memberships of new reports written without their save (bulk loads such as the demo
    data): (report id, lat, lon, team id) each; returns how many were written."""
    points = [row for row in located if row[1] is not None and row[2] is not None]
    areas = list(Area.objects.only("pk", "geometry", "min_lat", "min_lon", "max_lat", "max_lon"))
    if not points or not areas:
        return 0
    pks, lats, lons, teams = zip(*points, strict=True)
    found = _Shapes(areas).pairs(pks, lats, lons)
    team_of = dict(zip(pks, teams, strict=True))
    AreaReport.objects.bulk_create(
        [AreaReport(area_id=a, report_id=r, team_id=team_of[r]) for a, r in found],
        batch_size=FILL_BATCH,
        ignore_conflicts=True,
    )
    return len(found)


def area_report_teams_fill(*, batch: int = FILL_BATCH) -> int:
    """Copy each report's team onto its memberships written before AreaReport.team existed
    (`baken areas teams`, once after the upgrade, when no older version of the application
    writes memberships any more), then mark every area's teams known (Area.teams_known).
    In batches of `batch` memberships by id, each its own transaction, while the
    application runs; then, on PostgreSQL, VACUUM ANALYZE of the table (the old rows out of
    the index, the planner's statistics of the copies); returns how many memberships were
    written. Only a NULL copy is written: a team changed meanwhile wrote its own copy in
    its save's transaction (places/signals.py), and this batch, meeting that row, finds it
    no longer NULL and leaves it. Memberships of reports without a team stay NULL."""
    reports = AreaReport._meta.get_field("report").related_model._base_manager
    team = reports.filter(pk=OuterRef("report_id")).values("team_id")[:1]
    last = AreaReport.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    filled = 0
    for start in range(0, last, batch):
        with transaction.atomic():
            filled += AreaReport.objects.filter(
                pk__gt=start, pk__lte=start + batch, team__isnull=True
            ).update(team_id=Subquery(team))
    Area.objects.update(teams_known=True)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {AreaReport._meta.db_table}")
    return filled


def area_get(code: str) -> Area | None:
    return Area.objects.filter(code=code).first() if code else None


def area_list() -> QuerySet[Area]:
    return Area.objects.all()


# --- import ----------------------------------------------------------------------------------


def _number_pairs(ring, where: str) -> Ring:
    if not isinstance(ring, list) or len(ring) < 4:
        raise AreaFileError(
            _("%(where)s: a ring needs at least four positions.") % {"where": where}
        )
    points = []
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in position[:2])
        ):
            raise AreaFileError(
                _("%(where)s: a position must be [longitude, latitude].") % {"where": where}
            )
        lon, lat = float(position[0]), float(position[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise AreaFileError(
                _("%(where)s: %(lon)s, %(lat)s is not a longitude and latitude (WGS 84).")
                % {"where": where, "lon": lon, "lat": lat}
            )
        points.append((lon, lat))
    return points


def _geometry(geometry, where: str) -> dict:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise AreaFileError(
            _("%(where)s: the geometry must be a Polygon or MultiPolygon.") % {"where": where}
        )
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise AreaFileError(_("%(where)s: the geometry has no coordinates.") % {"where": where})
    clean = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise AreaFileError(_("%(where)s: a polygon has no rings.") % {"where": where})
        clean.append([[list(p) for p in _number_pairs(ring, where)] for ring in polygon])
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": clean[0]}
    return {"type": "MultiPolygon", "coordinates": clean}


def _bbox(geometry: dict) -> tuple[float, float, float, float]:
    min_lon, min_lat, max_lon, max_lat = shape(geometry).bounds
    return min_lat, min_lon, max_lat, max_lon


def parse_areas(text: str | bytes) -> list[AreaData]:
    """The areas of a GeoJSON FeatureCollection; AreaFileError names the first problem."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise AreaFileError(_("The file is not valid JSON: %(error)s") % {"error": error}) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise AreaFileError(_("The file must hold a GeoJSON FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise AreaFileError(_("The FeatureCollection has no features."))
    areas, codes = [], set()
    for number, feature in enumerate(features, start=1):
        where = _("feature %(number)s") % {"number": number}
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            raise AreaFileError(_("%(where)s: it has no properties.") % {"where": where})
        code = str(properties.get("code") or "").strip()
        name = str(properties.get("name") or "").strip()
        if not code or not name:
            raise AreaFileError(
                _("%(where)s: the properties need a code and a name.") % {"where": where}
            )
        if len(code) > 32 or len(name) > 200:
            raise AreaFileError(_("%(where)s: the code or name is too long.") % {"where": where})
        if code in codes:
            raise AreaFileError(
                _("%(where)s: the code %(code)s occurs twice.") % {"where": where, "code": code}
            )
        codes.add(code)
        geometry = _geometry(feature.get("geometry"), f"{where} ({code})")
        kind = str(properties.get("kind") or "").strip()[:32]
        areas.append(AreaData(code, name, kind, geometry, _bbox(geometry)))
    return areas


def areas_import(
    *,
    areas: list[AreaData],
    actor: Actor = SYSTEM,
    replace: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Create or update the areas by code, in one transaction with its audit entry; with
    `replace`, areas whose code is not in the file are removed."""
    created = updated = removed = 0
    reshaped_areas: list[Area] = []
    with transaction.atomic():
        existing = {a.code: a for a in Area.objects.select_for_update()}
        for done, data in enumerate(areas, start=1):
            area = existing.get(data.code) or Area(code=data.code)
            created, updated = (created + 1, updated) if area.pk is None else (created, updated + 1)
            reshaped = area.pk is None or area.geometry != data.geometry
            area.name, area.kind, area.geometry = data.name, data.kind, data.geometry
            area.min_lat, area.min_lon, area.max_lat, area.max_lon = data.bbox
            area.full_clean()
            area.save()
            if reshaped:
                reshaped_areas.append(area)
            if progress:
                progress(done, len(areas))
        # The reports, tested against the new shapes: one pass over them for all (same
        # transaction).
        areas_reports_fill(reshaped_areas)
        if replace:
            gone = Area.objects.exclude(code__in=[a.code for a in areas])
            if used := list(gone.filter(routing_rules__isnull=False).distinct()):
                raise AreaFileError(
                    _("Routing rules still route by %(areas)s; change those rules first.")
                    % {"areas": ", ".join(area.code for area in used)}
                )
            # The areas alone: their memberships go with them (CASCADE) and are no areas.
            removed = gone.delete()[1].get("places.Area", 0)
        audit_record(
            actor=actor,
            action=AuditAction.AREA_IMPORT,
            target=Target("subjects.area", "*"),
            detail={"codes": [a.code for a in areas], "removed": removed},
        )
    return ImportResult(created=created, updated=updated, removed=removed)


def area_reports_rebuild() -> int:
    """Recompute the memberships of every area (`baken areas rebuild`): one pass over the
    reports, in one transaction (the filter shows the old memberships until it commits);
    returns how many memberships there are. The areas are locked against an import, not
    against a report's save (FOR NO KEY UPDATE: a membership's insert only shares its key)."""
    with transaction.atomic():
        areas = list(Area.objects.select_for_update(no_key=True).order_by("pk"))
        return areas_reports_fill(areas)
