"""One view of the subject page is one read entry in the audit log, listing the parts shown,
however many panels it loads afterwards; a network is one entry too (issue 12, item 7)."""

import re

import pytest
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.audit.verification import verify_chain
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports.models import Report, ReportSubject
from baken.reports.validation import check_report
from baken.subjects.models import Subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


@pytest.fixture
def browser(verified_client, analyst):
    return verified_client(analyst)


@pytest.fixture
def jan(analyst, browser) -> Subject:
    """Jan and his company, named in a report and registered from its page by the analyst,
    with the relation between them added on Jan's page."""
    payload = {
        "description": "Jan de Vries laat busjes laden bij de schuur van zijn bedrijf.",
        "category": "drugs",
        "subjects": [
            {"type": "person", "name": "Jan de Vries"},
            {"type": "organisation", "name": "Schuur B.V.", "kvk_number": "12345678"},
        ],
    }
    report = intake_services.report_submit(checked=check_report(payload), actor=SYSTEM).report
    Report.objects.filter(pk=report.pk).update(team=analyst.team)
    for named in ReportSubject.objects.filter(report=report).order_by("position"):
        made = browser.post(reverse("subjects:create_from", args=[report.pk]), {"named": named.pk})
        assert made.status_code == 302
    person = Subject.objects.get(kind="person")
    company = Subject.objects.get(kind="organisation")
    added = browser.post(
        reverse("subjects:relation_add", args=[person.pk]),
        {"other": company.pk, "kind": "owner_of", "source_report": report.pk},
    )
    assert added.status_code == 302
    return person


@pytest.fixture
def written(jan):
    """The entries the test itself writes, not those of making its data."""
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    return lambda: AuditEntry.objects.filter(seq__gt=last)


def _reads(written, subject, user):
    return written().filter(action="subject.read", object_id=str(subject.pk), actor_id=user.pk)


def _panel_urls(page: str) -> list[str]:
    return [url.replace("&amp;", "&") for url in re.findall(r'hx-get="([^"]+)"', page)]


def test_the_page_and_its_relations_panel_are_one_read_listing_the_parts(
    written, browser, analyst, jan
):
    page = browser.get(reverse("subjects:detail", args=[jan.pk])).content.decode()
    panels = [url for url in _panel_urls(page) if "/relaties" in url]
    assert panels  # the relations panel, loaded by htmx
    for url in panels:
        panel = browser.get(url, HTTP_HX_REQUEST="true")
        assert panel.status_code == 200 and "Schuur B.V." in panel.content.decode()

    reads = list(_reads(written, jan, analyst))
    assert len(reads) == 1
    assert {"data", "reports", "timeline", "places", "relations"} <= set(reads[0].detail["parts"])
    assert verify_chain().ok


def test_the_panel_fetched_alone_logs_its_own_read(written, browser, analyst, jan):
    browser.get(reverse("subjects:relations", args=[jan.pk]), HTTP_HX_REQUEST="true")
    reads = list(_reads(written, jan, analyst))
    assert len(reads) == 1 and reads[0].detail == {"parts": ["relations"]}


def test_a_token_does_not_cover_another_subject_or_another_user(
    written, browser, verified_client, make_user, analyst, jan
):
    page = browser.get(reverse("subjects:detail", args=[jan.pk])).content.decode()
    token = re.search(r"view=([\w-]+)", page).group(1)
    company = Subject.objects.get(kind="organisation")
    browser.get(f"{reverse('subjects:relations', args=[company.pk])}?view={token}")
    assert _reads(written, company, analyst).count() == 1

    colleague = make_user(role=Role.ANALYST, team=analyst.team)
    verified_client(colleague).get(f"{reverse('subjects:relations', args=[jan.pk])}?view={token}")
    assert _reads(written, jan, colleague).count() == 1


def test_one_view_of_the_network_is_one_entry_naming_every_subject_shown(
    written, browser, analyst, jan
):
    company = Subject.objects.get(kind="organisation")
    assert browser.get(reverse("subjects:network", args=[jan.pk])).status_code == 200
    entries = written().filter(actor_id=analyst.pk, object_type="subjects.subject")
    [entry] = entries.exclude(action="subject.list").filter(object_id=str(jan.pk))
    assert entry.action == "subject.network"
    assert entry.detail["ids"] == sorted([jan.pk, company.pk])

    # Showing a neighbour's neighbours (the page's script) is a read of its own, once.
    expanded = browser.get(reverse("subjects:network_data", args=[company.pk]), {"depth": 1})
    assert expanded.status_code == 200
    assert [e.action for e in entries.filter(object_id=str(company.pk))] == ["subject.network"]
    assert verify_chain().ok


def test_the_address_of_a_merged_subject_sends_on_with_one_read(written, browser, analyst, jan):
    payload = {
        "description": "J. de Vries is weer bij de schuur gezien.",
        "category": "drugs",
        "subjects": [{"type": "person", "name": "J. de Vries"}],
    }
    report = intake_services.report_submit(checked=check_report(payload), actor=SYSTEM).report
    Report.objects.filter(pk=report.pk).update(team=analyst.team)
    named = ReportSubject.objects.get(report=report)
    browser.post(reverse("subjects:create_from", args=[report.pk]), {"named": named.pk})
    twin = Subject.objects.get(name="J. de Vries")
    merged = browser.post(
        reverse("subjects:merge", args=[jan.pk]), {"other": twin.pk, "reason": "Dezelfde man."}
    )
    assert merged.status_code == 302
    before = _reads(written, jan, analyst).count()

    page = browser.get(reverse("subjects:detail", args=[twin.pk]), follow=True)
    assert page.redirect_chain[-1][0] == reverse("subjects:detail", args=[jan.pk])
    assert _reads(written, jan, analyst).count() == before + 1
