"""The retention page as the privacy officer and the functional administrator use it; every
other role is refused. Bad input comes back as a Dutch error with what was typed kept."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from baken.accounts.models import Team
from baken.core.roles import Role
from baken.privacy.models import LegalHold, RetentionRule, RuleKind, RuleState
from baken.reports.models import Report
from tests.privacy.test_retention import _report

pytestmark = pytest.mark.django_db
UNKNOWN = "Geen melding, casus of betrokkene heeft dit kenmerk of nummer."

URL = "/bewaren/"


def test_the_privacy_officer_reads_the_rules_in_dutch(login, make_user):
    page = login(make_user(role=Role.PRIVACY_OFFICER)).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bewaren en vernietigen" in text
    assert "Melding met besluit &#x27;geen actie&#x27;" in text
    assert "meteen afgeschermd, vernietigd als de termijn voorbij is" in text
    assert "Nu en binnen 30 dagen aan de beurt" in text and "Bewaarplichten" in text
    assert "Een wijziging voorstellen" not in text  # the officer approves, does not propose


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ANALYST, Role.CASE_HANDLER, Role.MANAGEMENT])
def test_other_roles_are_refused(login, make_user, role):
    assert login(make_user(role=role)).get(URL).status_code == 403


def test_the_administrator_proposes_and_the_officer_approves_through_the_page(login, make_user):
    admin, officer = make_user(role=Role.ADMIN), make_user(role=Role.PRIVACY_OFFICER)
    form = {
        "kind": RuleKind.CASE_CLOSED,
        "period_amount": "7",
        "period_unit": "years",
        "legal_source": "Archiefwet; selectielijst gemeenten",
        "explanation": "",
    }
    client = login(admin)
    refused = client.post("/bewaren/regels/voorstel", form)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Dit veld is verplicht" in text and "Archiefwet; selectielijst gemeenten" in text
    form["explanation"] = "De selectielijst vraagt zeven jaar."
    done = client.post("/bewaren/regels/voorstel", form, follow=True)
    assert "De wijziging is voorgesteld" in done.content.decode()
    proposal = RetentionRule.objects.get(state=RuleState.PROPOSED)
    assert (
        client.post(f"/bewaren/regels/{proposal.pk}/besluit", {"decision": "approve"}).status_code
        == 403
    )

    client = login(officer, test_client=Client())
    page = client.get(URL).content.decode()
    assert "De selectielijst vraagt zeven jaar." in page
    reject_without_reason = client.post(
        f"/bewaren/regels/{proposal.pk}/besluit", {"decision": "reject"}
    )
    assert reject_without_reason.status_code == 400
    assert "Zeg waarom u deze wijziging afwijst." in reject_without_reason.content.decode()
    client.post(
        f"/bewaren/regels/{proposal.pk}/besluit", {"decision": "approve", "note": "Akkoord."}
    )
    in_force = RetentionRule.objects.get(kind=RuleKind.CASE_CLOSED, state=RuleState.IN_FORCE)
    assert (in_force.version, in_force.period_amount) == (2, 7)


def test_the_officer_places_a_hold_by_reference_and_lifts_it(client, login, make_user):
    report = _report(client)
    client = login(make_user(role=Role.PRIVACY_OFFICER), test_client=Client())
    until = (timezone.localdate() + timedelta(days=60)).isoformat()
    unknown = client.post(
        "/bewaren/bewaarplichten",
        {"reference": "M-XXXX-XXXX", "reason": "woo", "explanation": "Woo 2026-7", "until": until},
    )
    assert unknown.status_code == 400
    assert UNKNOWN in unknown.content.decode()
    assert "Woo 2026-7" in unknown.content.decode()  # what was typed stays
    placed = client.post(
        "/bewaren/bewaarplichten",
        {
            "reference": report.reference.lower(),
            "reason": "woo",
            "explanation": "Woo 2026-7",
            "until": until,
        },
        follow=True,
    )
    assert "De bewaarplicht is ingesteld." in placed.content.decode()
    assert report.reference in placed.content.decode()
    hold = LegalHold.objects.get(report=report)
    client.post(
        f"/bewaren/bewaarplichten/{hold.pk}/opheffen", {"explanation": "Verzoek afgehandeld."}
    )
    hold.refresh_from_db()
    assert hold.lifted_at is not None


def test_a_team_lead_holds_their_own_teams_report_and_knows_of_no_other(client, login, make_user):
    report = _report(client)
    lead = make_user(role=Role.TEAM_LEAD, team=Team.objects.create(name="Noord"))
    Report.objects.filter(pk=report.pk).update(team=lead.team)
    other = _report(client)
    stranger = make_user(role=Role.TEAM_LEAD, team=Team.objects.create(name="Zuid"))
    Report.objects.filter(pk=other.pk).update(team=stranger.team)
    until = (timezone.localdate() + timedelta(days=60)).isoformat()
    body = {"reason": "court", "explanation": "Rechtszaak 26/77", "until": until}

    as_lead = login(lead, test_client=Client())
    unknown = as_lead.post("/bewaren/bewaarplichten", {**body, "reference": other.reference})
    assert unknown.status_code == 400
    assert UNKNOWN in unknown.content.decode()
    assert not LegalHold.objects.exists()
    as_lead.post("/bewaren/bewaarplichten", {**body, "reference": report.reference})
    held = LegalHold.objects.get()
    assert held.report == report and held.placed_by == lead

    # The other team's lead sees no hold of it, and cannot lift it: as if there were none.
    as_stranger = login(stranger, test_client=Client())
    assert report.reference not in as_stranger.get(URL).content.decode()
    lifted = as_stranger.post(
        f"/bewaren/bewaarplichten/{held.pk}/opheffen", {"explanation": "Klaar."}
    )
    assert lifted.status_code == 404
    held.refresh_from_db()
    assert held.lifted_at is None
    assert report.reference in as_lead.get(URL).content.decode()


def test_the_officer_lists_reports_never_weighed_by_reference_only(client, login, make_user):
    old, fresh = _report(client), _report(client)
    Report.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=200))
    page = login(make_user(role=Role.PRIVACY_OFFICER), test_client=Client()).get(URL)
    text = page.content.decode()
    listed = text[text.index("Nooit gewogen") :]
    assert old.reference in listed and fresh.reference not in listed
    assert "hennepgeur" not in text.lower()  # no content on the officer's page
