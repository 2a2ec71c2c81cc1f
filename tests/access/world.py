"""A world for the need-to-know test: two teams, Noord (where the actors work) and Zuid (whose
objects they try to reach), one object of every kind that a route names, made the way the
workspace makes them, and an actor of every role.

Every object of Zuid carries a text found nowhere else (SECRETS): an answer to an outsider
that contains one of them has shown the object."""

import datetime
import io
import uuid
from dataclasses import dataclass, field

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from baken.accounts import services as account_services
from baken.accounts.models import Team
from baken.awareness import trainings as awareness_trainings
from baken.awareness.models import PracticeScenario
from baken.cases import services as case_services
from baken.cases import tasks_work, work
from baken.cases.models import CaseType, CaseTypeVersion, InterventionType, Source
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.exports.services import export_request
from baken.insights.overview import overview_build
from baken.insights.overview_week import Week
from baken.intake import services as intake_services
from baken.notifications.kinds import Kind as NotificationKind
from baken.notifications.services import notify
from baken.oversight import review as access_review
from baken.oversight import services as oversight_services
from baken.privacy import retention
from baken.privacy import services as privacy_services
from baken.privacy.models import (
    DestructionProposal,
    ProposalState,
    RetentionRule,
    RuleKind,
    RuleState,
)
from baken.reports.attachments import attachment_upload
from baken.reports.models import Category, Criterion, Department, Report, RoutingRule, SavedFilter
from baken.reports.selectors import report_get
from baken.reports.validation import check_report
from baken.reports.workflow import Status
from baken.rights import disclosure as rights_disclosure
from baken.rights import services as rights_services
from tests.factories import UserFactory
from tests.subjects.helpers import relation, subject

SECRETS = {
    "report": "Geheimloods aan de Zuidkade waar nachtelijk wordt gelost",
    "person": "Zwanetta Geheimhouder",
    "company": "Zuidkade Schimmig B.V.",
    "case": "Operatie Zuidenwind",
    "case_summary": "Verborgen opslag achter de Zuidkade",
    "task": "Kadaster Zuidkade natrekken",
    "consultation": "Wie woont er op Zuidkade 77",
    "handover": "Belastingdienst Zuidregio",
    "handover_what": "Overzicht van de Zuidkade-loods",
    "filter": "Zuidfilter geheim",
    "case_note": "Notitie over de Zuidkade",
    "reporter": "Melder Zuidkadebewoner",
    "access_flag": "Bespreken met de teamleider van Zuid",
}


@dataclass
class Actor:
    name: str
    user: object | None
    html: Client
    token: str = ""

    @property
    def role(self) -> str:
        return self.user.role if self.user is not None else "anonymous"

    def api_headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Token {self.token}"} if self.token else {}


@dataclass
class World:
    ids: dict[str, object]
    missing: dict[str, object]
    actors: dict[str, Actor]
    secrets: list[str] = field(default_factory=list)
    # What each actor may know of Zuid's objects (kinds), by the rules of the selectors.
    knows: dict[str, set[str]] = field(default_factory=dict)
    # Texts of Zuid's objects that an actor sees by design on a page of their role.
    sees: dict[str, set[str]] = field(default_factory=dict)
    # For the ids in a request's body (routes.Ids): the objects each actor may reach, for the
    # path (`home`) and for a body that the write would take (`own`), and the sets of objects
    # of another team or another case that the actor may not name (`foreign`, by label).
    home: dict[str, dict[str, object]] = field(default_factory=dict)
    own: dict[str, dict[str, object]] = field(default_factory=dict)
    foreign: dict[str, list[tuple[str, dict[str, object]]]] = field(default_factory=dict)
    # The receipt code of a report of Noord's, for the Meldpunt's follow-up.
    receipt_code: str = ""


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
    return client


def _token(user) -> str:
    return account_services.token_create(user=user, actor=SYSTEM, name="need-to-know")


def _report(description: str, team, **extra) -> Report:
    checked = check_report({"description": description, "category": "drugs", **extra})
    submitted = intake_services.report_submit(checked=checked, actor=SYSTEM)
    Report.objects.filter(pk=submitted.report.pk).update(team=team, status=Status.IN_ANALYSIS)
    report = Report.objects.get(pk=submitted.report.pk)
    report.receipt_code = submitted.receipt_code  # type: ignore[attr-defined]
    return report


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, "PNG")
    return out.getvalue()


def build() -> World:
    north, south = Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")

    def user(name, role, team):
        return UserFactory(username=name, role=role, team=team)

    # Zuid's own people: they make the objects.
    lead_south = user("lead_south", Role.TEAM_LEAD, south)
    owner = user("owner_south", Role.ANALYST, south)  # opened the case, a member
    member = user("member_south", Role.CASE_HANDLER, south)  # a member, to be removed
    # The actors who try.
    people = {
        "intake_north": user("intake_north", Role.INTAKE, north),
        "analyst_north": user("analyst_north", Role.ANALYST, north),
        "handler_north": user("handler_north", Role.CASE_HANDLER, north),
        "lead_north": user("lead_north", Role.TEAM_LEAD, north),
        "intake_south": user("intake_south", Role.INTAKE, south),
        "analyst_south": user("analyst_south", Role.ANALYST, south),
        "handler_south": user("handler_south", Role.CASE_HANDLER, south),
        "management": user("management", Role.MANAGEMENT, None),
        "admin": user("admin", Role.ADMIN, None),
        "privacy": user("privacy", Role.PRIVACY_OFFICER, None),
    }

    # Zuid's report, with a photo and two subjects and a relation between them.
    attachment = attachment_upload(data=_png(), name="loods.png", actor=SYSTEM)
    report = _report(
        SECRETS["report"],
        south,
        attachments=[str(attachment.id)],
        location={"address": {"postcode": "1781AB", "house_number": 77}},
        reporter={"anonymous": False, "name": SECRETS["reporter"], "phone": "0612345678"},
    )
    person = subject(SECRETS["person"], report=report, judge=lead_south)
    company = subject(SECRETS["company"], "organisation", report=report, judge=lead_south)
    link = relation(person, company, "owner_of", by=lead_south, source_report=report)
    report_subject = person.mentions.get().report_subject

    # Zuid's case on that report, with every part a route names.
    case = case_services.case_open(
        reports=[report],
        title=SECRETS["case"],
        summary=SECRETS["case_summary"],
        team=south,
        handler=None,
        actor=owner,
        rationale="Weging 3: ernstig.",
    )
    case_services.member_add(case=case, user=member, actor=lead_south, reason="Regie.")
    today = timezone.localdate()
    task = tasks_work.task_add(
        case=case,
        title=SECRETS["task"],
        assignee=member,
        deadline=today + datetime.timedelta(days=7),
        actor=owner,
    )
    consultation = work.consultation_request(
        case=case,
        source=Source.objects.filter(is_active=True).first(),
        purpose=SECRETS["consultation"],
        actor=owner,
    )
    intervention = work.intervention_add(
        case=case,
        kind=InterventionType.objects.filter(is_active=True).first(),
        start_date=today,
        actor=owner,
    )
    handover, _package = work.handover_record(
        case=case,
        recipient_kind="tax",
        recipient=SECRETS["handover"],
        what=SECRETS["handover_what"],
        legal_basis="Artikel 13 Wpg",
        actor=owner,
    )
    work.case_note_add(case=case, actor=owner, text=SECRETS["case_note"])

    # Cases elsewhere, so that the outsiders are members of a case, only not of this one.
    other_south = case_services.case_open(
        reports=[_report("Een andere melding van team Zuid, zonder geheimen.", south)],
        title="Andere casus Zuid",
        summary="",
        team=south,
        handler=None,
        actor=people["analyst_south"],
        rationale="Weging 2.",
    )
    case_services.member_add(
        case=other_south, user=people["handler_south"], actor=lead_south, reason="Regie."
    )
    north_report = _report("Een melding van team Noord, zonder geheimen.", north)
    north_case = case_services.case_open(
        reports=[north_report],
        title="Casus Noord",
        summary="",
        team=north,
        handler=None,
        actor=people["analyst_north"],
        rationale="Weging 2.",
    )
    case_services.member_add(
        case=north_case, user=people["handler_north"], actor=people["lead_north"], reason="R."
    )
    # What the actors may reach, for the ids in a body (routes.Ids): Noord's case and report
    # with a subject and a hand-over, for Noord's people; the other case of Zuid, for Zuid's.
    home_north, own_north = _home(north_case, people["lead_north"], people["analyst_north"])
    home_other, own_other = _home(other_south, lead_south, people["analyst_south"])

    # Things of one person of Zuid.
    export = export_request(user=lead_south, kind="reports", fmt="csv", filters={}, language="nl")
    [notification] = notify(
        kind=NotificationKind.CASE_MEMBER,
        users=[lead_south],
        object_id=case.pk,
        reference=case.reference,
    )
    saved = SavedFilter.objects.create(user=lead_south, name=SECRETS["filter"], query="status=x")

    # Configuration: the functional administrator's, whatever the team.
    rule = RoutingRule.objects.create(
        name="Zuidkade naar Zuid", team=south, postcode_prefix="1781", position=99
    )
    # Retention: the privacy officer's, whatever the team (the privacy app).
    retention_rule = privacy_services.rule_propose(
        actor=people["admin"],
        kind=RuleKind.LOGIN_RECORDS,
        period_amount=6,
        period_unit="months",
        legal_source="Privacyprotocol van de gemeente",
        explanation="Zes maanden, voor onderzoek naar misbruik.",
    )
    hold = privacy_services.hold_place(
        actor=people["privacy"],
        target=report,
        reason="woo",
        explanation="Woo-verzoek 2026-1",
        until=timezone.localdate() + datetime.timedelta(days=30),
    )
    retention_run, _lines = retention.run(actor=people["privacy"])
    # A request of a data subject: the privacy officer's, of no team (the rights app).
    data_request = rights_services.request_register(
        actor=people["privacy"],
        kind="access",
        requester_name=SECRETS["person"],
        requester_birth_date=datetime.date(1971, 5, 4),
        requester_address="Zuidkade 77, 1781 AB Den Helder",
        identity_verified="Paspoort getoond aan de balie",
        description="Wil weten welke gegevens de gemeente over haar heeft.",
        received_on=timezone.localdate(),
    )
    # ... with Zuid's report confirmed as about her, disclosed, and the overview made (part B).
    data_hit = rights_services.hit_confirm(
        actor=people["privacy"], pk=data_request.pk, kind="report", object_id=report.pk
    )
    rights_disclosure.disclosure_decide(
        actor=people["privacy"], pk=data_request.pk, hit_id=data_hit.pk, disclosure="disclose"
    )
    data_document = rights_disclosure.document_make(actor=people["privacy"], pk=data_request.pk)
    # An awareness training: the municipality's, of no team (awareness.trainings).
    training = awareness_trainings.training_create(
        actor=lead_south,
        held_on=timezone.localdate(),
        departments=[Department.objects.create(code="wereld-balie", name="Wereldbalie")],
        participants=12,
        format="in_person",
        trainer="OOV-team",
    )
    # A department a reporter may name (configuration, of no team; issue 17).
    department = Department.objects.create(code="wereld-afdeling", name="Wereldafdeling")
    proposal = DestructionProposal.objects.create(
        rule=RetentionRule.objects.get(kind=RuleKind.CASE_CLOSED, state=RuleState.IN_FORCE),
        case=case,
        reference=case.reference,
        proposed_at=timezone.now(),
        state=ProposalState.PROPOSED,
    )
    # The access review (oversight): Zuid's analyst reads Zuid's report; a review without a
    # limit flags it, and the privacy officer marks it 'to discuss' with a note.
    report_get(user=owner, pk=report.pk)
    no_limit = access_review.Thresholds(
        reads=0,
        window=datetime.timedelta(hours=1),
        night_from=0,
        night_until=0,
        weekends=False,
        export_rows=10**9,
    )
    access_flag = next(
        flag
        for flag in access_review.run(timezone.localdate(), limits=no_limit).new
        if flag.user_id == owner.pk
    )
    oversight_services.flag_review(
        actor=people["privacy"], pk=access_flag.pk, state="to_discuss", note=SECRETS["access_flag"]
    )
    # The week before, with Zuid's report in it, built as the Monday round builds it.
    week = Week.last_complete()
    Report.objects.filter(pk=report.pk).update(
        received_at=timezone.make_aware(
            datetime.datetime.combine(week.start + datetime.timedelta(days=2), datetime.time(12))
        )
    )
    overview_build(week=week)

    ids = {
        "report": report.pk,
        "attachment": attachment.id,
        "subject": person.pk,
        "report_subject": report_subject.pk,
        "relation": link.pk,
        "case": case.pk,
        "case_member": member.pk,
        "task": task.pk,
        "consultation": consultation.pk,
        "intervention": intervention.pk,
        "handover": handover.pk,
        "export": export.pk,
        "notification": notification.pk,
        "saved_filter": saved.pk,
        "user": member.pk,
        "category": Category.objects.first().pk,
        "criterion": Criterion.objects.first().pk,
        "practice_scenario": PracticeScenario.objects.first().pk,
        "routing_rule": rule.pk,
        "retention_rule": retention_rule.pk,
        "legal_hold": hold.pk,
        "retention_run": retention_run.pk,
        "destruction_proposal": proposal.pk,
        "data_request": data_request.pk,
        "data_hit": data_hit.pk,
        "data_document": data_document.pk,
        "case_type": CaseType.objects.first().pk,
        "case_type_version": CaseTypeVersion.objects.first().pk,
        "catalogue": "bronnen",
        "week": week.label,
        "access_flag": access_flag.pk,
        "department": department.pk,
        "department_code": department.code,
        "training": training.pk,
    }
    missing = {
        kind: (uuid.uuid4() if isinstance(value, uuid.UUID) else 987654321)
        for kind, value in ids.items()
    }
    missing["catalogue"] = "bestaat-niet"
    missing["week"] = "2001-W01"
    missing["department_code"] = "bestaat-niet"

    actors = {
        name: Actor(name, person_, _client_for(person_), _token(person_))
        for name, person_ in people.items()
    }
    actors["anonymous"] = Actor("anonymous", None, _client_for(None))
    # Who may know Zuid's objects: the team lead of Zuid, for the legitimate calls.
    actors["lead_south"] = Actor("lead_south", lead_south, _client_for(lead_south))
    actors["lead_south"].token = _token(lead_south)

    secrets = [*SECRETS.values(), report.reference, case.reference]
    # The analyst of Zuid sees the reports of the team (reports.selectors) and so the
    # subjects named in them and their relations; not the case, of which they are no member.
    report_kinds = {"report", "attachment", "subject", "report_subject", "relation"}
    knows = {name: set() for name in actors}
    knows["analyst_south"] = report_kinds
    knows["lead_south"] = set(ids)
    # The privacy officer decides on every team's source research: the queue and their
    # notification name the case and the purpose (cases.work_views.consultation_queue).
    sees = {name: set() for name in actors}
    sees["privacy"] = {case.reference, SECRETS["consultation"], SECRETS["case"]}
    # ... and holds and the destruction list by reference (privacy:overview).
    sees["privacy"] |= {report.reference}
    # The analyst of Zuid sees the team's report and the subjects named in it.
    sees["analyst_south"] = {
        SECRETS["report"],
        report.reference,
        SECRETS["person"],
        SECRETS["company"],
    }
    # Another team's or another case's objects, named in a body by someone who may reach
    # the path: Zuid's for Noord's people and for the roles of no team; for Zuid's people
    # Noord's, and those of Zuid's case they are no member of (not what they may know, not
    # Zuid's own people: adding a colleague is no leak).
    south_ids = {**ids, "user": member.pk, "member": member.pk, "team": south.pk}
    north_ids = {
        **home_north,
        "user": people["handler_north"].pk,
        "member": people["handler_north"].pk,
        "team": north.pk,
    }
    home, own, foreign = {}, {}, {}
    for name in actors:
        if name in ("intake_south", "analyst_south", "handler_south"):
            home[name], own[name] = home_other, own_other
            another_case = {
                kind: value
                for kind, value in south_ids.items()
                if kind not in knows[name] and kind not in ("user", "team")
            }
            foreign[name] = [("Noord", north_ids), ("Zuid's other case", another_case)]
        else:
            home[name], own[name] = home_north, own_north
            foreign[name] = [("Zuid", south_ids)]
        # Someone the actor knows, of their own team, who is no member of the case.
        foreign[name].append(("a colleague, no member,", {"member": own[name]["user"]}))

    return World(
        ids=ids,
        missing=missing,
        actors=actors,
        secrets=secrets,
        knows=knows,
        sees=sees,
        home=home,
        own=own,
        foreign=foreign,
        receipt_code=north_report.receipt_code,  # type: ignore[attr-defined]
    )


def _home(case, lead, owner) -> tuple[dict[str, object], dict[str, object]]:
    """A case's report with two subjects and a hand-over (the ids of a path), and what a
    body may name in them: another report of the team in further analysis, another subject,
    a colleague who is no member yet, a member."""
    team = case.team
    report = case.reports.get()
    person = subject(f"Persoon van {team.name}", report=report, judge=lead)
    other = subject(f"Andere persoon van {team.name}", report=report, judge=lead)
    handover, _package = work.handover_record(
        case=case,
        recipient_kind="tax",
        recipient="Belastingdienst",
        what="Overzicht",
        legal_basis="Artikel 13 Wpg",
        actor=owner,
    )
    spare = _report(f"Nog een melding van team {team.name}, zonder geheimen.", team)
    colleague = UserFactory(username=f"colleague_{team.name}", role=Role.CASE_HANDLER, team=team)
    member = case.memberships.exclude(user=owner).first() or case.memberships.get()
    home = {
        "report": report.pk,
        "case": case.pk,
        "subject": person.pk,
        "report_subject": person.mentions.get().report_subject.pk,
        "handover": handover.pk,
    }
    own = {
        "report": spare.pk,
        "subject": other.pk,
        "report_subject": home["report_subject"],
        "case": case.pk,
        "user": colleague.pk,
        "member": member.user_id,
        "team": team.pk,
    }
    return home, own
