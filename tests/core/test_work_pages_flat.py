"""Every work page of the benchmark reads as many queries with more data as with less.

The pages are the benchmark's own list (bench/work_pages.py `pages`): every role that uses a
page, the inbox with the filters people use and `GET /api/v1/reports` beside it, the search,
the report page for reports in every state, the case page, the case list, the subject page,
the dashboard, the hotspots, the management view, the weekly overview, the privacy officer's
pages. Each is asked on the demo municipality (`baken demo-setup`, its own users and cases),
then again after `baken demo-data` added more reports, cases and subjects, for the same objects:
a page whose query count grows with the data (a query per row, a count per team) fails here,
in CI, before a benchmark at a million reports shows it (issue 18).
"""

import io
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baken.insights import figures_rollup
from baken.reports import process_cache

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "bench"
AREAS = Path(__file__).resolve().parents[2] / "src/baken/places/data/demo-areas.geojson"


def _bench_pages():
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # work_pages imports its neighbours by name
    import work_pages

    return work_pages


def _counts(clients: dict, pages: list) -> dict[str, tuple[int, int]]:
    """Per page and object: (status, queries) of a warm request (the session's idle clock and
    the per-process caches are written by the first)."""
    counted = {}
    for page in pages:
        client = clients[page.role]
        for path in page.paths[:2]:
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                status = client.get(path).status_code
            counted[f"{page.name}: {path}"] = (status, len(queries))
    return counted


def test_no_work_page_reads_more_queries_with_more_data(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    # The per-process copy of the catalogue is read again every 10 s: not between the warm
    # request and the counted one of a page, whenever that 10 s ends.
    monkeypatch.setattr(process_cache, "MAX_AGE", 3600.0)
    settings.SECURE_SSL_REDIRECT = False
    work_pages = _bench_pages()
    call_command("demo-setup", stdout=io.StringIO())
    call_command("areas", "import", str(AREAS), stdout=io.StringIO())
    figures_rollup.rollup_refresh()
    clients, facts = work_pages.sessions()
    pages = work_pages.pages(facts)
    assert len(pages) >= 50, [p.name for p in pages]  # every role, filter and state

    before = _counts(clients, pages)
    refused = {name: status for name, (status, _n) in before.items() if status != 200}
    assert not refused, refused

    call_command(
        "demo-data", reports=400, seed=3, photos=0, stdout=io.StringIO(), stderr=io.StringIO()
    )
    figures_rollup.rollup_refresh()
    after = _counts(clients, pages)

    grown = {
        name: f"{before[name][1]} → {queries} queries"
        for name, (status, queries) in after.items()
        if status != 200 or queries > before[name][1]
    }
    assert not grown, grown
