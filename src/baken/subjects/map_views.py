"""The map page (issue 5, item 6) and the search page (item 8). Thin: parse the filters,
call the selectors, render. The map's points come from the API (api/map.py) by script; the
page itself carries the filters, the outlines and the counts per area as a table."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from baken.accounts.decorators import capability_required
from baken.core.roles import Capability
from baken.places.areas import area_list

from . import map_data, search


@require_GET
@capability_required(Capability.WORKSPACE)
def map_page(request):
    form = map_data.MapFilterForm(request.GET or None)
    filters = map_data.filter_from_form(form) if form.is_bound else map_data.MapFilter()
    rows, exact = map_data.area_counts(user=request.user, filters=filters)
    areas = [a for a in area_list() if not filters.area or a.code == filters.area]
    query = request.GET.urlencode() if form.is_bound and form.is_valid() else ""
    return render(
        request,
        "subjects/map.html",
        {
            "form": form,
            "rows": rows,
            "exact": exact,
            "total": sum(row.count for row in rows),
            "outlines": map_data.area_outlines(areas),
            "points_url": reverse("api:map-points") + (f"?{query}" if query else ""),
            "tile_url": settings.MAP_TILE_URL,
            "map_center": ",".join(str(c) for c in settings.MAP_CENTER),
            "max_points": map_data.MAX_POINTS,
        },
    )


@require_GET
@capability_required(Capability.WORKSPACE)
def search_page(request):
    query = search.clean_query(request.GET.get("q", ""))
    results = search.search(user=request.user, query=query, limit=20) if query else None
    return render(
        request,
        "subjects/search.html",
        {"query": query, "results": results, "too_short": bool(query) and len(query) < 2},
    )
