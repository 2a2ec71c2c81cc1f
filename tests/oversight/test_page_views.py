"""One opening of a report page is one read in the access review's figures and in the weekly
access report, however many audit entries it left: the page with its panels, a panel that
came without the page's token, a note added on the page and the page it returns to. The
flag's entries still list every one of them (oversight/review.py, ONE_VIEW)."""

import re

import pytest

from baken.audit.actions import AuditAction
from baken.oversight import review
from baken.oversight.models import AccessFlag, FlagKind
from baken.oversight.presenting import flag_sentence

from .conftest import WEDNESDAY, browser
from .test_review import entries, last_seq

pytestmark = pytest.mark.django_db


def open_report_page(client, report, *, without_token: tuple[str, ...] = ()) -> None:
    """The report page as a browser loads it: the page, then each panel it names (hx-get,
    trigger load) with the page's token; the panels in `without_token` come without it."""
    page = client.get(f"/werkruimte/meldingen/{report.pk}")
    assert page.status_code == 200
    panels = re.findall(r'hx-get="([^"]+)" hx-trigger="load"', page.content.decode())
    assert len(panels) >= 4, panels  # suggestion, contact, cases, subjects, related
    for url in panels:
        url = url.replace("&amp;", "&")
        if any(f"/{name}?" in url for name in without_token):
            url = url.split("?")[0]
        answer = client.get(url, HTTP_HX_REQUEST="true")
        assert answer.status_code in (200, 204), (url, answer.status_code)


def test_one_opening_of_a_report_page_counts_once(office, clock):
    """The analyst opens a report at night, its panels load (two of them without the page's
    token), and adds a note; ten minutes later she opens it again, and another one."""
    clock.at(22, 40)
    before = last_seq()
    analyst = browser(office.analyst)
    open_report_page(analyst, office.reports[2], without_token=("contactpaneel", "gerelateerd"))
    clock.tick(1)
    note = analyst.post(
        f"/werkruimte/meldingen/{office.reports[2].pk}/notities",
        {"text": "Buurman belt morgen terug."},
        follow=True,
    )
    assert note.status_code == 200
    reads = entries(office.analyst, AuditAction.REPORT_READ, since=before)
    assert len(reads) >= 4  # the page, two panels, the note, the page again
    clock.tick(10)
    open_report_page(analyst, office.reports[2])
    clock.tick(1)
    open_report_page(analyst, office.reports[3])
    clock.at(4, day=WEDNESDAY.replace(day=19))
    review.run(WEDNESDAY)

    flag = AccessFlag.objects.get(kind=FlagKind.OFF_HOURS)
    assert flag.entries == entries(office.analyst, AuditAction.REPORT_READ, since=before)
    assert len(flag.entries) == len(reads) + 2
    assert flag.figures["reads"] == 3 and flag.figures["night"] == 3
    assert flag_sentence(flag).startswith("3 keer gelezen in de nacht")
    officer = browser(office.officer)
    assert "3 keer gelezen in de nacht" in officer.get("/toezicht/").content.decode()
    # The parts each entry lists, in Dutch: no codes such as contact_form or cases.
    shown = officer.get(f"/toezicht/{flag.pk}").content.decode()
    assert "Getoonde onderdelen: gegevens, versies" in shown
    assert "betrokkenen, verwante meldingen, casussen" in shown
    assert "Getoonde onderdelen: verwante meldingen<" in shown  # a panel without the token
    for code in ("contact_form", "cases", "suggestion", "related"):
        assert code not in re.sub(r'(href|hx-get|action|src)="[^"]*"', "", shown), code

    week = officer.get("/api/v1/access-review/weeks/2026-W47").json()
    people = {p["name"]: p for team in week["teams"] for p in team["people"]}
    lines = {line["kind"]: line["days"] for line in people[str(office.analyst)]["lines"]}
    assert lines["reports"] == [0, 0, 3, 0, 0, 0, 0]
    page = officer.get("/toezicht/weekrapport?week=2026-W47").content.decode()
    assert re.search(r"<td[^>]*>\s*3\s*</td>", page)


def test_two_openings_minutes_apart_are_two_reads(office, clock):
    """Reads of one report closer than two minutes are one view, further apart two: counted
    from the previous read, across the page's own entries."""
    clock.at(23, 0)
    analyst = browser(office.analyst)
    open_report_page(analyst, office.reports[4], without_token=("betrokkenen",))
    clock.tick(1.5)
    open_report_page(analyst, office.reports[4])  # a reload: the same view
    clock.tick(2)
    open_report_page(analyst, office.reports[4])  # back after two minutes: a new one
    clock.at(4, day=WEDNESDAY.replace(day=19))
    review.run(WEDNESDAY)
    flag = AccessFlag.objects.get(kind=FlagKind.OFF_HOURS)
    assert len(flag.entries) == 4 and flag.figures["reads"] == 2
