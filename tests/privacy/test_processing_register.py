"""The processing-register entry (AVG art. 30) for Baken as installed (issue 16): made from
the settings and what Baken holds, so a rule approved, a category added or a setting switched
off shows at once; only measures that are on are stated as on. The privacy officer and the
functional administrator read it as a page, JSON and a PDF; every other role is refused."""

import pytest
from django.test import Client
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.privacy import services as privacy_services
from baken.privacy.models import RuleKind
from tests.api.test_triage_api import auth
from tests.intake.test_catalogue_admin import _form as category_form
from tests.pdf import pdf_text
from tests.privacy.test_sharing_register import case_from, hand_over
from tests.subjects.test_matching import report_naming

pytestmark = pytest.mark.django_db

PAGE = "/registers/verwerkingsregister"
PDF = "/registers/verwerkingsregister.pdf"
API = "/api/v1/registers/processing"
API_PDF = "/api/v1/registers/processing.pdf"


@pytest.fixture
def officer(make_user):
    return make_user(role=Role.PRIVACY_OFFICER, team=None, first_name="Priya", last_name="Mulder")


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.ADMIN, team=None, first_name="Femke", last_name="Bakker")


def _read(client) -> str:
    response = client.get(PAGE)
    assert response.status_code == 200, response.content[:400]
    return response.content.decode()


def test_the_officer_reads_the_entry_in_dutch(officer, login):
    text = _read(login(officer))
    for expected in (
        "Verwerkingsregister",
        "Verwerkingsverantwoordelijke",
        "Niet ingesteld.",  # no municipality name, no mail address in the test settings
        "BAKEN_MUNICIPALITY_NAME",
        "Drugs",  # a category of the installed catalogue
        "Strafrechtelijke gegevens (AVG art. 10)",
        "Burgerservicenummer",
        "Betrokkene: Persoon",
        "Anonieme melders",
        "Melding met besluit &#x27;geen actie&#x27;",  # a retention rule in force
        "Tweede factor",
        "Een sessie stopt na 30 minuten zonder gebruik, in elk geval na 10 uur",
        "Er is nog niets verstrekt.",
    ):
        assert expected in text, expected
    assert "(g)" in text and "AVG artikel 30" in text


def test_the_entry_follows_the_settings(officer, login, settings):
    settings.MUNICIPALITY_NAME = "Gemeente Havenwaard"
    settings.PRIVACY_OFFICER_EMAIL = ["privacy@havenwaard.example"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SCHEDULE = {**settings.SCHEDULE, "audit-seal": {"task": "x", "cron": ""}}
    body = Client().get(API, secure=True, **auth(officer)).json()
    assert body["controller"] == "Gemeente Havenwaard"
    assert body["privacy_officer"] == ["privacy@havenwaard.example"]
    measures = {item["name"]: item["text"] for item in body["measures"]}
    off = {item["name"]: item["text"] for item in body["off"]}
    assert "365 dagen" in measures["HSTS"] and "HTTPS" in measures
    assert "Dagelijks zegel van de auditlog" in off  # switched off: not claimed as on
    assert "Dagelijks zegel van de auditlog" not in measures

    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SCHEDULE = {**settings.SCHEDULE, "audit-seal": {"task": "x", "cron": "15 0 * * *"}}
    text = _read(login(officer, test_client=Client()))
    assert "Gemeente Havenwaard" in text and "Niet ingesteld." not in text
    assert "Browsers krijgen geen opdracht om alleen HTTPS te gebruiken." in text
    assert "het zegel wordt naar de privacyfunctionaris gemaild" in text


def test_an_approved_rule_and_a_new_category_show_at_once(officer, admin, verified_client):
    before = Client().get(API, **auth(officer)).json()
    no_action = next(r for r in before["retention"] if r["kind"] == RuleKind.REPORT_NO_ACTION)
    assert (no_action["period"], no_action["version"]) == ("1 jaar", 1)

    proposal = privacy_services.rule_propose(
        actor=admin,
        kind=RuleKind.REPORT_NO_ACTION,
        period_amount=2,
        period_unit="years",
        legal_source="Privacyprotocol 2027",
        explanation="Twee jaar, na evaluatie.",
    )
    privacy_services.rule_approve(actor=officer, pk=proposal.pk, note="Akkoord.")
    created = verified_client(admin).post(reverse("intake:category_create"), category_form())
    assert created.status_code == 302

    after = Client().get(API, **auth(admin)).json()
    no_action = next(r for r in after["retention"] if r["kind"] == RuleKind.REPORT_NO_ACTION)
    assert (no_action["period"], no_action["version"]) == ("2 jaar", 2)
    assert no_action["legal_source"] == "Privacyprotocol 2027"
    names = [c["name"] for c in after["categories"]]
    assert "Ondermijning in de haven" in names
    assert {"name": "Ondermijning in de haven", "text": "Smokkel via de haven."} in after[
        "categories"
    ]


def test_recipients_are_counted_from_the_sharing_register(officer, make_user, north, login):
    analyst = make_user(role=Role.ANALYST, team=north)
    case = case_from(report_naming(north), analyst, "Loods")
    browser = login(analyst, test_client=Client())
    for _ in range(2):
        hand_over(
            browser,
            case,
            recipient_kind="police",
            recipient="Politie Noord-Holland",
            what="Samenvatting.",
            legal_basis="Wpg art. 4:3",
        )
    body = Client().get(API, **auth(officer)).json()
    assert body["recipients"] == [
        {
            "recipient": "Politie Noord-Holland",
            "recipient_kind": "police",
            "recipient_kind_label": "De politie",
            "count": 2,
            "last": body["recipients"][0]["last"],
        }
    ]
    people = {item["name"]: item["text"] for item in body["people"]}
    assert people["Anonieme melders"] == "Geen naam of contactgegevens; meldingen: 1"


def test_the_pdf_holds_the_entry(officer, admin, login, settings):
    settings.MUNICIPALITY_NAME = "Gemeente Havenwaard"
    response = login(admin).get(PDF)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "verwerkingsregister-" in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in ("Verwerkingsregister", "Gemeente Havenwaard", "Bewaartermijnen", "HSTS"):
        assert expected in text, expected
    api = Client().get(API_PDF, **auth(officer))
    assert api.status_code == 200 and api.content.startswith(b"%PDF")
    reads = AuditEntry.objects.filter(action="registers.processing_read")
    assert sorted(reads.values_list("detail__via", flat=True)) == ["api-pdf", "pdf"]


def test_the_administrator_finds_it_in_the_menu(admin, login):
    home = login(admin).get("/", follow=True).content.decode()
    assert f'href="{PAGE}"' in home and "Verwerkingsregister" in home


@pytest.mark.parametrize(
    "role", [Role.INTAKE, Role.ANALYST, Role.CASE_HANDLER, Role.TEAM_LEAD, Role.MANAGEMENT]
)
def test_every_other_role_is_refused(make_user, login, north, role):
    user = make_user(role=role, team=north)
    browser = login(user)
    assert browser.get(PAGE).status_code == 403
    assert browser.get(PDF).status_code == 403
    for url in (API, API_PDF):
        refused = Client().get(url, **auth(user))
        assert refused.status_code == 403
        assert refused["Content-Type"].startswith("application/problem+json")
    assert not AuditEntry.objects.filter(action="registers.processing_read").exists()
    assert "Verwerkingsregister" not in browser.get("/", follow=True).content.decode()
