"""Exports (issue 7, "Inzicht"): the lists a user may see to CSV and XLSX, made by a
background task with its progress saved, every step in the audit log, files only for their
owner and deleted after their time."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.exports import services, storage
from baken.exports.kinds import kinds_for
from baken.exports.models import Export, State
from baken.exports.tasks import exports_expire
from baken.insights.figures_table import figures_table
from baken.reports.models import Report
from baken.reports.workflow import Status

from .conftest import csv_rows, file_bytes, reports_for, xlsx_rows

pytestmark = pytest.mark.django_db
INBOX = reverse("reports:inbox")


def export_of(user, kind="reports", fmt="csv", **filters) -> Export:
    export = services.export_request(
        user=user,
        kind=kind,
        fmt=fmt,
        filters={k: v if isinstance(v, list) else [v] for k, v in filters.items()},
        language="nl",
    )
    export.refresh_from_db()
    return export


def inbox_references(browser, monkeypatch, query: dict) -> list[str]:
    """The references the inbox shows for this query, page by page, in its order."""
    import re

    monkeypatch.setattr("baken.reports.views.PAGE_SIZE", 2)
    seen, number = [], 1
    while True:
        html = browser.get(INBOX, {**query, "pagina": number}).content.decode()
        seen += re.findall(r'<th scope="row"><a href="/werkruimte/meldingen/\d+">([^<]+)</a>', html)
        if f"pagina={number + 1}" not in html:
            return seen
        number += 1


def test_the_csv_holds_exactly_the_rows_the_inbox_shows_on_all_its_pages(
    verified_client, analyst, north, south, monkeypatch
):
    reports_for(north, 5)
    reports_for(north, 1, status=Status.WEIGHED)
    reports_for(south, 2)  # another team's: never
    browser = verified_client(analyst)
    response = browser.post(
        reverse("exports:create"),
        {"kind": "reports", "format": "csv", "query": "sort=nieuwste&pagina=2"},
    )
    export = Export.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "exports:detail", args=[export.pk]
    )
    assert export.state == State.DONE and export.filters == {"sort": ["nieuwste"]}
    rows = csv_rows(file_bytes(export))
    assert rows[0][:4] == ["Kenmerk", "Ontvangen", "Categorie", "Status"]
    shown = inbox_references(browser, monkeypatch, {"sort": "nieuwste"})
    assert len(shown) == 6
    assert [row[0] for row in rows[1:]] == shown


def test_the_xlsx_holds_the_same_rows_with_real_dates_in_amsterdam_time(analyst, north):
    [report] = reports_for(north, 1, status=Status.IN_TRIAGE)
    moment = datetime(2026, 7, 1, 10, 30, tzinfo=UTC)
    Report.objects.filter(pk=report.pk).update(received_at=moment, postcode="1781AB")
    export = export_of(analyst, fmt="xlsx", status="in_triage")
    header, *rows = xlsx_rows(file_bytes(export))
    assert header[0] == "Kenmerk" and len(rows) == 1
    assert rows[0][0] == report.reference
    assert rows[0][1].isoformat() == "2026-07-01T12:30:00"  # summer time: UTC+2
    assert rows[0][5] == "1781AB"


def test_no_reporter_data_and_no_free_text_in_a_report_export(analyst, north):
    [report] = reports_for(north, 1)
    Report.objects.filter(pk=report.pk).update(
        description="Jan Jansen, 0612345678, teelt hennep", location_description="achter de kerk"
    )
    data = file_bytes(export_of(analyst)).decode("utf-8-sig")
    assert report.reference in data
    assert "Jansen" not in data and "0612345678" not in data and "kerk" not in data


def test_cells_that_would_be_formulas_stay_text(analyst, north):
    [report] = reports_for(north, 1)
    evil = '=HYPERLINK("http://evil.example";"klik")'
    Report.objects.filter(pk=report.pk).update(city=evil, postcode="-1+1")
    [_h, row] = csv_rows(file_bytes(export_of(analyst)))
    assert row[7] == "'" + evil and row[5] == "'-1+1"
    book = load_workbook(io.BytesIO(file_bytes(export_of(analyst, fmt="xlsx"))))
    cell = book.active.cell(row=2, column=8)
    assert cell.value == evil and cell.data_type == "s"  # a string, not a formula


def test_a_case_handler_gets_only_their_own_reports(make_user, north):
    mine, theirs = reports_for(north, 2)
    handler = make_user(role=Role.CASE_HANDLER, team=north)
    other = make_user(role=Role.CASE_HANDLER, team=north)
    Report.objects.filter(pk=mine.pk).update(assignee=handler)
    Report.objects.filter(pk=theirs.pk).update(assignee=other)
    rows = csv_rows(file_bytes(export_of(handler)))
    assert [row[0] for row in rows[1:]] == [mine.reference]


def test_an_intake_officer_exports_the_intake_queue_only(make_user, north):
    [waiting] = reports_for(north, 1, status=Status.IN_TRIAGE)
    reports_for(north, 1, status=Status.IN_ANALYSIS)
    intake = make_user(role=Role.INTAKE, team=north)
    export = export_of(intake, status=list(Status.values))
    assert [row[0] for row in csv_rows(file_bytes(export))[1:]] == [waiting.reference]


@pytest.mark.parametrize("kind", ["reports", "cases", "interventions"])
def test_management_exports_no_content(make_user, kind):
    boss = make_user(role=Role.MANAGEMENT, team=None)
    with pytest.raises(services.ExportRefused) as refused:
        export_of(boss, kind=kind)
    assert "kind" in refused.value.errors
    assert not Export.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PRIVACY_OFFICER])
def test_roles_without_a_list_to_export_get_no_export_pages(verified_client, make_user, role):
    browser = verified_client(make_user(role=role, team=None))
    assert browser.get(reverse("exports:list")).status_code == 403
    response = browser.post(reverse("exports:create"), {"kind": "reports", "format": "csv"})
    assert response.status_code == 403


def test_management_exports_the_figures_with_small_counts_suppressed(make_user, north):
    reports_for(north, 2)
    boss = make_user(role=Role.MANAGEMENT, team=None)
    assert [code for code, _label in kinds_for(boss)] == ["figures"]
    export = export_of(boss, kind="figures", fmt="xlsx", period="52")
    assert export.state == State.DONE, export.failure
    header, *rows = xlsx_rows(file_bytes(export))
    assert len(header) == 3 and rows
    headers, expected = figures_table(user=boss, params={"period": "52"})
    assert [list(r) for r in rows] == [[*row[:2], row[2]] for row in expected]
    assert all(
        value in ("< 5", "x") or not isinstance(value, int) or value >= 5 or value == 0
        for *_rest, value in rows
    )


def test_figures_filters_are_the_dashboards(make_user):
    boss = make_user(role=Role.MANAGEMENT, team=None)
    for bad in ({"period": ["eternity"]}, {"start": ["2026-05-01"]}, {"colour": ["red"]}):
        with pytest.raises(services.ExportRefused):
            services.export_request(
                user=boss, kind="figures", fmt="csv", filters=bad, language="nl"
            )


def test_the_rights_are_checked_again_when_the_task_runs(analyst, north):
    reports_for(north, 1)
    now = timezone.now()
    queued = Export.objects.create(
        user=analyst, kind="reports", format="csv", created_at=now, expires_at=now
    )
    analyst.role = Role.MANAGEMENT
    analyst.save()
    done = services.export_run(export_id=queued.pk)
    assert done.state == State.FAILED and done.failure == "not_allowed"
    assert not storage.path_for(queued.pk).exists()
    assert AuditEntry.objects.filter(action="export.fail", object_id=str(queued.pk)).exists()


def test_a_second_delivery_of_the_task_does_nothing(analyst, north):
    reports_for(north, 1)
    export = export_of(analyst)
    assert services.export_run(export_id=export.pk).state == State.DONE
    assert AuditEntry.objects.filter(action="export.finish").count() == 1


def test_progress_is_saved_after_each_batch_and_each_batch_logged(
    analyst, north, settings, monkeypatch
):
    settings.EXPORT_BATCH_SIZE = 2
    made = reports_for(north, 5)
    seen = []
    original = services._progress

    def spy(export, done, *, ids):
        original(export, done, ids=ids)
        seen.append(Export.objects.get(pk=export.pk).rows_done)

    monkeypatch.setattr(services, "_progress", spy)
    export = export_of(analyst, fmt="xlsx")
    assert seen == [2, 4, 5]
    assert export.state == State.DONE and (export.rows_done, export.rows_total) == (5, 5)
    assert len(xlsx_rows(file_bytes(export))) == 6
    batches = AuditEntry.objects.filter(action="export.rows", object_id=str(export.pk))
    assert sorted(i for entry in batches for i in entry.detail["ids"]) == sorted(r.pk for r in made)


def test_request_finish_and_download_are_logged_without_content(verified_client, analyst, north):
    reports_for(north, 3)
    export = export_of(analyst, status="received")
    request = AuditEntry.objects.get(action="export.request")
    assert request.actor_id == analyst.pk and request.object_id == str(export.pk)
    assert request.detail == {"kind": "reports", "format": "csv", "filters": ["status"]}
    finish = AuditEntry.objects.get(action="export.finish")
    assert finish.detail["rows"] == 3
    response = verified_client(analyst).get(reverse("exports:file", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert len(csv_rows(body)) == 4 and int(response["Content-Length"]) == len(body)
    download = AuditEntry.objects.get(action="export.download")
    assert download.detail == {"kind": "reports", "rows": 3}


def test_only_the_owner_sees_or_downloads_an_export(verified_client, analyst, make_user, north):
    reports_for(north, 1)
    export = export_of(analyst)
    colleague = make_user(role=Role.ANALYST, team=north)  # sees the same reports
    browser = verified_client(colleague)
    for name in ("detail", "progress", "file"):
        assert browser.get(reverse(f"exports:{name}", args=[export.pk])).status_code == 404
    assert str(export.pk) not in browser.get(reverse("exports:list")).content.decode()
    assert not AuditEntry.objects.filter(action="export.download").exists()


def test_the_file_is_not_given_to_an_owner_who_lost_the_right(verified_client, analyst, north):
    reports_for(north, 1)
    export = export_of(analyst)
    browser = verified_client(analyst)
    analyst.role = Role.MANAGEMENT
    analyst.save()
    assert browser.get(reverse("exports:file", args=[export.pk])).status_code in (403, 404)


def test_bad_input_gets_a_clear_message_never_a_500(verified_client, analyst):
    browser = verified_client(analyst)
    create = reverse("exports:create")
    for data, message in [
        ({"kind": "everything", "format": "csv"}, "geen beschikbare keuze"),
        ({"kind": "reports", "format": "pdf"}, "geen beschikbare keuze"),
        ({"kind": "reports", "format": "csv", "query": "status=bogus"}, "status"),
        ({"kind": "reports", "format": "csv", "query": "older_than_days=-3"}, "older_than_days"),
        ({"kind": "cases", "format": "csv", "query": "colour=red"}, "colour"),
    ]:
        response = browser.post(create, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    assert not Export.objects.exists()


def test_the_page_polls_while_the_export_is_made_and_offers_the_file_when_done(
    verified_client, analyst, north
):
    reports_for(north, 2)
    export = export_of(analyst)
    browser = verified_client(analyst)
    page = browser.get(reverse("exports:detail", args=[export.pk])).content.decode()
    assert "hx-trigger" not in page and reverse("exports:file", args=[export.pk]) in page
    Export.objects.filter(pk=export.pk).update(state=State.RUNNING, rows_done=1, rows_total=2)
    part = browser.get(reverse("exports:progress", args=[export.pk]), {"bekend": "running"})
    html = part.content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="50"' in html
    assert "hx-swap-oob" not in html  # the state did not change: nothing to announce
    Export.objects.filter(pk=export.pk).update(state=State.DONE, rows_done=2)
    html = browser.get(
        reverse("exports:progress", args=[export.pk]), {"bekend": "running"}
    ).content.decode()
    with translation.override("nl"):
        ready = str(State.DONE.label)
    assert "hx-trigger" not in html and f'hx-swap-oob="innerHTML">{ready}<' in html


def test_the_inbox_and_the_case_list_have_an_export_button(verified_client, analyst):
    browser = verified_client(analyst)
    inbox = browser.get(INBOX, {"status": "received", "pagina": "1"}).content.decode()
    assert 'name="kind" value="reports"' in inbox and 'value="status=received"' in inbox
    cases = browser.get(reverse("cases:list")).content.decode()
    assert 'name="kind" value="cases"' in cases
    menu = browser.get(reverse("exports:list")).content.decode()
    assert 'aria-current="page">Exports' in menu


def test_expired_files_are_deleted_by_the_scheduled_task(analyst, north, settings):
    assert settings.SCHEDULE["exports-expire"]["task"] == "baken.exports.tasks.exports_expire"
    reports_for(north, 1)
    old, fresh = export_of(analyst), export_of(analyst)
    stuck = Export.objects.create(
        user=analyst,
        kind="reports",
        format="csv",
        state=State.RUNNING,
        created_at=timezone.now(),
        expires_at=timezone.now(),
    )
    Export.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    exports_expire.enqueue()
    assert not storage.path_for(old.pk).exists() and storage.path_for(fresh.pk).exists()
    assert Export.objects.get(pk=old.pk).state == State.EXPIRED
    assert Export.objects.get(pk=fresh.pk).state == State.DONE
    assert Export.objects.get(pk=stuck.pk).failure == "expired"
    entry = AuditEntry.objects.get(action="export.expire")
    assert entry.actor_id is None and sorted(entry.detail["ids"]) == sorted(
        [str(old.pk), str(stuck.pk)]
    )


def test_the_queries_do_not_grow_with_the_rows(analyst, north):
    """No query per row: a batch of 2 reports and one of 8 cost the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n: int) -> int:
        Report.objects.all().delete()
        reports_for(north, n)
        with CaptureQueriesContext(connection) as captured:
            export_of(analyst)
        return len(captured)

    assert queries(8) == queries(2)


def _shown_in(response, *texts):
    """The texts as the response's language has them (the view ran in it)."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return [str(text) for text in texts]


def test_a_filter_problem_is_the_forms_own_naming_the_filter(verified_client, analyst):
    """The interventions' filter `kind` is not the form's own field `kind` (the list)."""
    from baken.exports.kinds import InterventionFilterForm

    browser = verified_client(analyst)
    create = reverse("exports:create")
    response = browser.post(
        create, {"kind": "interventions", "format": "csv", "query": "kind=no-such-type"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "kind" not in form.errors and "format" not in form.errors
    [problem] = form.non_field_errors()
    [label] = _shown_in(response, InterventionFilterForm.base_fields["kind"].label)
    assert label in problem
    assert problem in response.content.decode()

    unknown = browser.post(create, {"kind": "cases", "format": "csv", "query": "colour=red"})
    assert unknown.status_code == 400 and list(unknown.context["form"].errors) == ["__all__"]
    assert "colour" in unknown.context["form"].non_field_errors()[0]
    assert not Export.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "period=custom&start=9999-12-01&end=9999-12-31",
        "period=custom&start=0001-01-01&end=0001-01-31",
        "start=9999-12-30&end=9999-12-31",
    ],
)
def test_figures_with_dates_the_figures_cannot_count_over_are_refused_at_once(
    verified_client, analyst, query
):
    response = verified_client(analyst).post(
        reverse("exports:create"), {"kind": "figures", "format": "csv", "query": query}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["__all__"]  # a problem of a filter, never of the list
    assert not Export.objects.exists()


def test_whatever_the_dashboard_refuses_the_figures_export_refuses(make_user, monkeypatch):
    """The request is checked with the dashboard's own parser, not a copy of its rules."""
    from baken.insights import figures as dashboard

    parse = dashboard.params_from

    def stricter(data):
        parsed, form = parse(data)
        if parsed is not None and data.get("start"):
            form.add_error("start", "Not in this dashboard.")
            return None, form
        return parsed, form

    monkeypatch.setattr(dashboard, "params_from", stricter)
    boss = make_user(role=Role.MANAGEMENT, team=None)
    with pytest.raises(services.ExportRefused) as refused:
        export_of(boss, kind="figures", period="custom", start="2026-01-05", end="2026-02-01")
    assert refused.value.filters == {"start": ["Not in this dashboard."]}
    assert refused.value.errors == {}
    assert export_of(boss, kind="figures", period="12").state == State.DONE


def test_the_export_page_shows_the_filters_as_the_list_page_does(verified_client, analyst, north):
    from baken.cases.models import InterventionType
    from baken.exports.kinds import InterventionFilterForm
    from baken.reports.forms import InboxFilterForm

    reports_for(north, 1)
    export = export_of(analyst, status=["in_triage", "received"], sort="nieuwste", overdue="on")
    browser = verified_client(analyst)
    response = browser.get(reverse("exports:detail", args=[export.pk]))
    fields = InboxFilterForm.base_fields
    status, triage, received, overdue, sort = _shown_in(
        response,
        fields["status"].label,
        Status.IN_TRIAGE.label,
        Status.RECEIVED.label,
        fields["overdue"].label,
        fields["sort"].label,
    )
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        yes, newest = translation.gettext("yes"), translation.gettext("Newest first")
    assert response.context["filters"] == [
        (status, f"{triage}, {received}"),
        (overdue, yes),
        (sort, newest),
    ]
    page = response.content.decode()
    assert "in_triage" not in page and "nieuwste" not in page

    # A value the form does not know (any more) is shown as it is.
    now = timezone.now()
    gone = Export.objects.create(
        user=analyst,
        kind="interventions",
        format="csv",
        filters={"kind": ["bibob", "opgeheven"]},
        created_at=now,
        expires_at=now,
    )
    response = browser.get(reverse("exports:detail", args=[gone.pk]))
    [label] = _shown_in(response, InterventionFilterForm.base_fields["kind"].label)
    bibob = InterventionType.objects.get(code="bibob").name
    assert response.context["filters"] == [(label, f"{bibob}, opgeheven")]


def test_a_period_the_figures_cannot_count_over_is_refused_even_if_the_dashboard_took_it(
    make_user, north, monkeypatch
):
    """A backstop below the dashboard's own bounds (2000–2100): widened to every date, the
    weeks of year 1 and of the end of year 9999 still have no beginning or end."""
    from datetime import date

    from baken.core import dates

    monkeypatch.setattr(dates, "EARLIEST", date.min)
    monkeypatch.setattr(dates, "LATEST", date.max)
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    for start, end, name in [
        ("9999-12-01", "9999-12-31", "end"),
        ("0001-01-01", "0001-01-31", "start"),
    ]:
        with pytest.raises(services.ExportRefused) as refused:
            export_of(lead, kind="figures", period="custom", start=start, end=end)
        assert list(refused.value.filters) == [name]
    assert not Export.objects.exists()
