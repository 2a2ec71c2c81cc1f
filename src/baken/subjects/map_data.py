"""What the map shows (issue 5, item 6): the reports (and address subjects) the user may see,
filtered by category, period and area; as points, or as grid cells when there are more than
MAX_POINTS; and the counts per area, the map's text alternative.

Every answer is bounded: at most MAX_POINTS points or cells per request, a fixed number of
queries whatever the number of reports (the grid tries at most three cell sizes).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import Avg, Count, F, QuerySet
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.places.areas import MAX_REFINED, area_for, area_get, area_list, box_q, in_area
from baken.places.models import Area
from baken.reports.models import Category, Report
from baken.reports.selectors import report_list, report_list_logged

from .models import Subject
from .selectors import subject_list

MAX_POINTS = 2000
GRID_PRECISIONS = (3, 2, 1)  # decimals of lat/lon: cells of ~100 m, ~1 km, ~10 km


class MapFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput({"type": "date"})
    )
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = Category.objects.filter(is_active=True).values_list("code", "name")
        areas = area_list().values_list("code", "name")
        self.fields["category"].choices = [("", _("All categories")), *categories]  # type: ignore[attr-defined]
        self.fields["area"].choices = [("", _("All areas")), *areas]  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date lies before the start date."))
        return data


@dataclass(frozen=True)
class MapFilter:
    category: str = ""
    since: date | None = None
    until: date | None = None
    area: str = ""


def filter_from_form(form: MapFilterForm) -> MapFilter:
    data = form.cleaned_data if form.is_valid() else {}
    return MapFilter(
        category=data.get("category") or "",
        since=data.get("since"),
        until=data.get("until"),
        area=data.get("area") or "",
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def map_reports(*, user, filters: MapFilter) -> QuerySet[Report]:
    """The located, not merged reports the user may see, under the filters."""
    reports = (
        report_list(user=user)
        .select_related(None)
        .prefetch_related(None)
        .filter(merged_into=None, lat__isnull=False, lon__isnull=False)
    )
    if filters.category:
        reports = reports.filter(category__code=filters.category)
    if filters.since:
        reports = reports.filter(received_at__gte=_start_of(filters.since))
    if filters.until:
        reports = reports.filter(received_at__lt=_start_of(filters.until + timedelta(days=1)))
    if filters.area and (area := area_get(filters.area)) is not None:
        reports = in_area(reports, area)
    return reports


def map_addresses(*, user, filters: MapFilter) -> QuerySet[Subject]:
    """Address subjects the user may know of, with a location (filtered by area only)."""
    addresses = subject_list(user=user).filter(
        kind=Subject.Kind.ADDRESS, lat__isnull=False, lon__isnull=False
    )
    if filters.area and (area := area_get(filters.area)) is not None:
        addresses = in_area(addresses, area)
    return addresses


def _grid(rows: QuerySet, precision: int) -> QuerySet:
    return (
        rows.order_by()
        .values(cell_lat=Round("lat", precision), cell_lon=Round("lon", precision))
        .annotate(n=Count("*"), lat=Avg("lat"), lon=Avg("lon"))
    )


def _cells(rows: QuerySet) -> list[dict]:
    for precision in GRID_PRECISIONS:
        cells = list(_grid(rows, precision)[: MAX_POINTS + 1])
        if len(cells) <= MAX_POINTS or precision == GRID_PRECISIONS[-1]:
            return [
                {"lat": round(c["lat"], 6), "lon": round(c["lon"], 6), "count": c["n"]}
                for c in cells[:MAX_POINTS]
            ]
    return []  # pragma: no cover (the last precision always returns)


def map_points(*, user, filters: MapFilter) -> dict:
    """Points (id, reference, place) when at most MAX_POINTS reports match, otherwise grid
    cells with their counts; addresses likewise bounded. The points shown are logged."""
    reports = map_reports(user=user, filters=filters)
    rows = list(
        reports.order_by("-received_at", "-pk").values(
            "pk", "reference", "lat", "lon", category_name=F("category__name")
        )[: MAX_POINTS + 1]
    )
    aggregated = len(rows) > MAX_POINTS
    if aggregated:
        points: list[dict] = []
        cells = _cells(reports)
        total = sum(c["count"] for c in cells)
    else:
        points = [
            {
                "id": r["pk"],
                "reference": r["reference"],
                "category": r["category_name"] or "",
                "lat": r["lat"],
                "lon": r["lon"],
            }
            for r in rows
        ]
        cells, total = [], len(points)
        report_list_logged(user=user, reports=[Report(pk=r["pk"]) for r in rows])
    addresses = list(
        map_addresses(user=user, filters=filters)
        .order_by("pk")
        .values("pk", "name", "lat", "lon")[:MAX_POINTS]
    )
    return {
        "total": total,
        "aggregated": aggregated,
        "max_points": MAX_POINTS,
        "points": points,
        "cells": cells,
        "addresses": [
            {"id": a["pk"], "name": a["name"], "lat": a["lat"], "lon": a["lon"]} for a in addresses
        ],
    }


@dataclass(frozen=True)
class AreaCount:
    area: Area | None  # None: outside every area
    count: int


def area_counts(*, user, filters: MapFilter) -> tuple[list[AreaCount], bool]:
    """Reports per area under the filters (the map as a table), and whether the counts are
    exact. One query reads the places (at most MAX_REFINED) and Python assigns the areas;
    beyond that each area's bounding box is counted instead, in one query, and said so."""
    areas = list(area_list())
    if filters.area:
        areas = [a for a in areas if a.code == filters.area]
    reports = map_reports(user=user, filters=filters)
    places = list(reports.order_by().values_list("lat", "lon")[: MAX_REFINED + 1])
    if len(places) <= MAX_REFINED:
        counts: dict[int | None, int] = {}
        for lat, lon in places:
            found = area_for(lat, lon, areas)
            key = found.pk if found else None
            counts[key] = counts.get(key, 0) + 1
        rows = [AreaCount(a, counts.get(a.pk, 0)) for a in areas]
        if counts.get(None):
            rows.append(AreaCount(None, counts[None]))
        return rows, True
    boxed = reports.aggregate(**{f"a{a.pk}": Count("pk", filter=box_q(a)) for a in areas})
    return [AreaCount(a, boxed[f"a{a.pk}"]) for a in areas], False


def area_outlines(areas: list[Area] | None = None) -> dict:
    """The areas as one GeoJSON FeatureCollection, for drawing their outlines."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": a.code, "name": a.name},
                "geometry": a.geometry,
            }
            for a in (area_list() if areas is None else areas)
        ],
    }
