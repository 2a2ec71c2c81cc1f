"""Cases and interventions exported: only of the cases the user may see (their members, the
team lead of the team), in the case list's order, without free text."""

from datetime import date

import pytest
from django.urls import reverse

from baken.cases import work
from baken.cases.models import InterventionType
from baken.core.roles import Role
from tests.cases.test_cases import open_case

from .conftest import csv_rows, file_bytes
from .test_exports import export_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(analyst, make_user, north):
    handler = make_user(role=Role.CASE_HANDLER, team=north)
    mine = open_case(
        north,
        analyst,
        title="Hennepkwekerij Dorpsstraat",
        summary="Geheime samenvatting over Jan Jansen.",
        handler=handler,
        rationale="Weging 3: concreet en recent.",
    )
    other = open_case(north, analyst, title="Loods Havenweg", rationale="Weging 3.")
    closure = InterventionType.objects.get(code="sluiting-13b")
    bibob = InterventionType.objects.get(code="bibob")
    work.intervention_add(case=mine, kind=closure, start_date=date(2026, 11, 2), actor=analyst)
    work.intervention_add(case=other, kind=bibob, start_date=date(2026, 11, 3), actor=analyst)
    return handler, mine, other


def test_a_case_handler_exports_only_the_cases_they_are_a_member_of(cases):
    handler, mine, _other = cases
    rows = csv_rows(file_bytes(export_of(handler, kind="cases")))
    assert [row[0] for row in rows[1:]] == [mine.reference]
    assert rows[1][1] == "Hennepkwekerij Dorpsstraat" and rows[1][8] == "1"  # one report
    assert "Jansen" not in file_bytes(export_of(handler, kind="cases")).decode("utf-8-sig")


def test_the_case_export_holds_the_case_list(cases, analyst, verified_client):
    rows = csv_rows(file_bytes(export_of(analyst, kind="cases")))
    page = verified_client(analyst).get(reverse("cases:list")).content.decode()
    exported = [row[0] for row in rows[1:]]
    assert sorted(exported) == sorted(c.reference for c in cases[1:])
    assert exported == sorted(exported, key=page.index)  # in the list's order


def test_interventions_only_of_cases_the_user_may_see(cases, analyst):
    handler, mine, _other = cases
    rows = csv_rows(file_bytes(export_of(handler, kind="interventions")))
    assert [(row[0], row[4]) for row in rows[1:]] == [(mine.reference, "02-11-2026")]
    everything = csv_rows(file_bytes(export_of(analyst, kind="interventions")))
    assert len(everything) == 3


def test_interventions_filtered_by_type_and_state(cases, analyst):
    _handler, _mine, other = cases
    rows = csv_rows(
        file_bytes(services_export(analyst, {"kind": ["bibob"], "state": ["planned", "running"]}))
    )
    assert [row[0] for row in rows[1:]] == [other.reference]


def services_export(user, filters):
    from baken.exports import services as export_services

    export = export_services.export_request(
        user=user, kind="interventions", fmt="csv", filters=filters, language="nl"
    )
    export.refresh_from_db()
    return export
