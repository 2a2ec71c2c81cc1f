"""The work inside a case: source research approved by the privacy officer, interventions,
and the sharing register with its hand-over package. Each write in one transaction with its
audit entry. Each takes the actor and refuses on its own who may not know the case (404) or
not work in it (403): access.require, the rule the pages and the API apply (ADR 0027). The
privacy officer's decision on source research checks her role instead: she decides on the
source and the purpose without knowing the case."""

import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Collection
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core import dates
from baken.core.refusals import Kind, Message, Refused
from baken.core.roles import Role
from baken.notifications.kinds import Kind as NotificationKind
from baken.notifications.services import notify
from baken.reports.access import may_act_on_request
from baken.reports.editing import note_write
from baken.reports.models import Report
from baken.reports.selectors import report_list
from baken.subjects import ftm
from baken.subjects.models import Judgement, Relation, Subject
from baken.subjects.network import Network
from baken.subjects.selectors import subject_list

from .access import CaseAction, require
from .models import (
    Case,
    CaseNote,
    CaseReport,
    Consultation,
    ConsultationState,
    Handover,
    HandoverNotice,
    Intervention,
    InterventionChange,
    InterventionState,
    InterventionType,
    RecipientKind,
    Source,
)
from .pdf import handover_pdf
from .services import (
    CaseRefused,
    fits,
    limit_of,
    lock_open,
    plausible,
    problems_of,
    required_text,
)

# --- source research ---------------------------------------------------------------------


def consultation_request(*, case: Case, source: Source, purpose: str, actor: User) -> Consultation:
    require(actor, case, CaseAction.WORK)
    purpose = required_text(purpose, "purpose", _("Say what the consultation is for."))
    with transaction.atomic():
        locked = lock_open(case)
        consultation = Consultation.objects.create(
            case=locked,
            source=source,
            purpose=purpose,
            requested_by=actor,
            requested_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CASE_CONSULTATION_REQUEST,
            target=locked,
            detail={"consultation": consultation.pk, "source": source.pk},
        )
        notify(
            kind=NotificationKind.CONSULTATION_REQUESTED,
            users=User.objects.filter(role=Role.PRIVACY_OFFICER, is_active=True),
            reference=locked.reference,
            actor=actor,
        )
    return consultation


def pending_consultations() -> QuerySet[Consultation]:
    """What the privacy officer decides on: the source and the purpose, with the case's
    reference — not its content."""
    return Consultation.objects.filter(state=ConsultationState.REQUESTED).select_related(
        "case", "source", "requested_by"
    )


def consultation_decide(
    *, consultation: Consultation, officer: User, approve: bool, motivation: str
) -> Consultation:
    if officer.role != Role.PRIVACY_OFFICER:
        raise CaseRefused({"officer": _("Only the privacy officer decides on source research.")})
    motivation = required_text(motivation, "motivation", _("Give a short motivation."))
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.state != ConsultationState.REQUESTED:
            raise CaseRefused({"state": _("This request was decided already.")})
        locked.state = ConsultationState.APPROVED if approve else ConsultationState.REFUSED
        locked.decided_by, locked.decided_at = officer, timezone.now()
        locked.decision_motivation = motivation
        locked.save(update_fields=["state", "decided_by", "decided_at", "decision_motivation"])
        audit_record(
            actor=officer,
            action=AuditAction.CASE_CONSULTATION_DECIDE,
            target=locked.case,
            detail={"consultation": locked.pk, "approved": approve},
        )
    return locked


def consultation_hit(*, consultation: Consultation, hit: bool, actor: User) -> Consultation:
    """First only whether the source knows the subject (hit or no hit)."""
    require(actor, consultation.case, CaseAction.WORK)
    with transaction.atomic():
        lock_open(consultation.case)
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.state != ConsultationState.APPROVED:
            raise CaseRefused({"state": _("Only an approved consultation can be recorded.")})
        if locked.hit is not None:
            raise CaseRefused({"hit": _("Hit or no hit was recorded already.")})
        locked.hit, locked.hit_recorded_by, locked.hit_recorded_at = hit, actor, timezone.now()
        locked.save(update_fields=["hit", "hit_recorded_by", "hit_recorded_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CASE_CONSULTATION_HIT,
            target=locked.case,
            detail={"consultation": locked.pk, "hit": hit},
        )
    return locked


def consultation_findings(
    *, consultation: Consultation, findings: str, actor: User
) -> Consultation:
    """Then, on a hit only, what the source holds."""
    require(actor, consultation.case, CaseAction.WORK)
    findings = required_text(findings, "findings", _("Write the findings."))
    with transaction.atomic():
        lock_open(consultation.case)
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.hit is not True:
            raise CaseRefused({"hit": _("Findings are recorded only after a hit.")})
        locked.findings = findings
        locked.save(update_fields=["findings"])
        audit_record(
            actor=actor,
            action=AuditAction.CASE_CONSULTATION_FINDINGS,
            target=locked.case,
            detail={"consultation": locked.pk},
        )
    return locked


# --- interventions ------------------------------------------------------------------------


def intervention_add(
    *,
    case: Case,
    kind: InterventionType,
    start_date: date | None,
    actor: User,
    legal_basis: str = "",
    responsible: str = "",
) -> Intervention:
    """An intervention from the catalogue; its legal basis and responsible party are the
    catalogue's unless given. Its first change record holds what it is at the start."""
    require(actor, case, CaseAction.WORK)
    if start_date is None:
        raise CaseRefused({"start_date": _("Give the start date.")})
    plausible(start_date, "start_date")
    legal_basis = required_text(
        legal_basis or kind.legal_basis,
        "legal_basis",
        _("Give the legal basis: this intervention has none in the catalogue."),
        limit_of(Intervention, "legal_basis"),
    )
    responsible = fits(
        (responsible or kind.responsible).strip(),
        "responsible",
        limit_of(Intervention, "responsible"),
    )
    now = timezone.now()
    with transaction.atomic():
        locked = lock_open(case)
        intervention = Intervention.objects.create(
            case=locked,
            kind=kind,
            legal_basis=legal_basis,
            responsible=responsible,
            start_date=start_date,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        InterventionChange.objects.create(
            intervention=intervention,
            state=intervention.state,
            end_date=None,
            outcome="",
            author=actor,
            at=now,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CASE_INTERVENTION_ADD,
            target=locked,
            detail={"intervention": intervention.pk, "kind": kind.pk},
        )
    return intervention


def intervention_update(
    *, intervention: Intervention, state: str, outcome: str, end_date: date | None, actor: User
) -> Intervention:
    """A new state, end or outcome: the intervention holds the latest, and a change record
    keeps each step with its moment and author (the timeline and the accountability report
    show them all). Sending the same again changes nothing and records nothing."""
    require(actor, intervention.case, CaseAction.WORK)
    if state not in InterventionState.values:
        raise CaseRefused({"state": _("Choose a state.")})
    outcome = (outcome or "").strip()
    finished = state in (InterventionState.DONE, InterventionState.STOPPED)
    if finished and not outcome:
        raise CaseRefused({"outcome": _("Say what came of it.")})
    plausible(end_date, "end_date")
    if end_date is not None and end_date < intervention.start_date:
        raise CaseRefused({"end_date": _("The end cannot be before the start.")})
    with transaction.atomic():
        lock_open(intervention.case)
        locked = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if (locked.state, locked.outcome, locked.end_date) == (state, outcome, end_date):
            return locked
        now = timezone.now()
        locked.state, locked.outcome, locked.end_date = state, outcome, end_date
        locked.updated_at = now
        locked.save(update_fields=["state", "outcome", "end_date", "updated_at"])
        InterventionChange.objects.create(
            intervention=locked,
            state=state,
            end_date=end_date,
            outcome=outcome,
            author=actor,
            at=now,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CASE_INTERVENTION_UPDATE,
            target=locked.case,
            detail={"intervention": locked.pk, "state": state},
        )
    return locked


# --- the sharing register -----------------------------------------------------------------


def case_subjects(case: Case) -> list[Subject]:
    """The registered subjects the case's reports were confirmed to name (not one restricted
    on a request of the person it is about: subjects/restriction.py)."""
    return list(
        Subject.objects.filter(
            mentions__judgement=Judgement.SAME,
            mentions__report_subject__report__in=case.reports.all(),
            merged_into__isnull=True,
            restricted_at__isnull=True,
        ).distinct()
    )


def case_ftm(case: Case) -> list[dict]:
    """The case's subjects and the relations among them as FollowTheMoney entities."""
    subjects = case_subjects(case)
    if not subjects:
        return []
    ids = [s.pk for s in subjects]
    network = Network(subject=subjects[0], depth=0, nodes={s.pk: s for s in subjects})
    for relation in Relation.objects.filter(source__in=ids, target__in=ids):
        network.edges[relation.pk] = relation
    return ftm.entities(network)


class HandoverRecordedAlready(Refused):
    """The same hand-over form was sent before (`request_key`): `handover` is its record."""

    kind = Kind.CONFLICT

    def __init__(self, handover: Handover):
        super().__init__(
            "recorded_already",
            _("This hand-over was recorded already (id %(id)s); nothing was recorded twice.")
            % {"id": handover.pk},
            field="request_key",
        )
        self.handover = handover


def handover_record(
    *,
    case: Case,
    recipient_kind: str,
    recipient: str,
    what: str,
    legal_basis: str,
    actor: User,
    request_key: uuid.UUID | None = None,
) -> tuple[Handover, bytes]:
    """Record a hand-over and make its package at that moment: a PDF summary of the case
    and the FtM entities of its subjects, zipped. The register keeps the package's name and
    SHA-256 (not its content); the package goes to the recipient.

    `request_key`, the form's one-time key: the same form sent again (a second click while
    the download starts) raises HandoverRecordedAlready instead of recording a second
    hand-over."""
    require(actor, case, CaseAction.WORK)
    problems: dict[str, Message] = {}
    if recipient_kind not in RecipientKind.values:
        problems["recipient_kind"] = _("Choose the kind of recipient.")
    problems |= problems_of(
        lambda: required_text(
            recipient, "recipient", _("Say who receives it."), limit_of(Handover, "recipient")
        ),
        lambda: required_text(what, "what", _("Say what is shared.")),
        lambda: required_text(
            legal_basis,
            "legal_basis",
            _("Give the legal basis."),
            limit_of(Handover, "legal_basis"),
        ),
    )
    if problems:
        raise CaseRefused(problems)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if request_key is not None:
            earlier = Handover.objects.filter(case=locked, request_key=request_key).first()
            if earlier is not None:
                raise HandoverRecordedAlready(earlier)
        at = timezone.now()
        subjects = case_subjects(locked)
        handover = Handover.objects.create(
            case=locked,
            recipient_kind=recipient_kind,
            recipient=recipient.strip(),
            what=what.strip(),
            legal_basis=legal_basis.strip(),
            by=actor,
            at=at,
            request_key=request_key,
            subjects=[s.pk for s in subjects],
            # Not a report restricted on a request of the person concerned (AVG art. 18).
            reports=list(
                locked.reports.filter(restricted_at__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)
            ),
        )
        package = io.BytesIO()
        with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("samenvatting.pdf", handover_pdf(handover))
            archive.writestr(
                "betrokkenen.ftm.jsonl",
                "".join(
                    json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n"
                    for e in case_ftm(locked)
                ),
            )
        data = package.getvalue()
        handover.package_name = f"{locked.reference}-overdracht-{handover.pk}.zip"
        handover.package_sha256 = hashlib.sha256(data).hexdigest()
        handover.save(update_fields=["package_name", "package_sha256"])
        audit_record(
            actor=actor,
            action=AuditAction.CASE_HANDOVER,
            target=locked,
            detail={
                "handover": handover.pk,
                "subjects": handover.subjects,
                "reports": handover.reports,
            },
        )
    return handover, data


def subject_and_merged_ids(subject: Subject) -> list[int]:
    """The subject and those merged into it: a hand-over may name one merged later."""
    return [subject.pk, *subject.merged_subjects.values_list("pk", flat=True)]


def handovers_to_inform(
    *,
    report_ids: Collection[int] = (),
    subject_ids: Collection[int] = (),
    within: QuerySet[Case] | None = None,
) -> list[Handover]:
    """When a report or subject is corrected or removed: the hand-overs that included it,
    whose recipients are to be told (only of the cases in `within`, when given)."""
    handovers = (
        Handover.objects.select_related("case", "by").prefetch_related("notices__by").order_by("at")
    )
    if within is not None:
        handovers = handovers.filter(case__in=within)
    if report_ids and not subject_ids:
        # A hand-over holds reports of its own case: read only those cases' hand-overs (the
        # report page asks this on every view), then check the reports each one held.
        handovers = handovers.filter(
            case__in=CaseReport.objects.filter(report__in=report_ids).values("case")
        )
    elif subject_ids and not report_ids:
        # And the subjects its reports were confirmed to name (the subject page asks).
        handovers = handovers.filter(
            case__in=CaseReport.objects.filter(
                report__subjects__mentions__subject__in=subject_ids,
                report__subjects__mentions__judgement=Judgement.SAME,
            ).values("case")
        )
    found = []
    for handover in handovers:
        if set(report_ids) & set(handover.reports) or set(subject_ids) & set(handover.subjects):
            found.append(handover)
    return found


def _refuse_notice(
    *, handover: Handover, actor: User, report: Report | None, subject: Subject | None
) -> None:
    """A notice is given by who works in the case, about one report or subject that the
    actor may know and that was part of the hand-over."""
    require(actor, handover.case, CaseAction.WORK)
    if (report is None) == (subject is None):
        raise CaseRefused(
            {"report": _("Give either the report or the subject the notice is about.")}
        )
    if report is not None:
        if not report_list(user=actor).filter(pk=report.pk).exists():
            raise CaseRefused({"report": _("Not found.")}, kind=Kind.NOT_FOUND, code="report")
        if report.pk not in handover.reports:
            raise CaseRefused({"report": _("This report was not part of the hand-over.")})
    elif subject is not None:
        if not subject_list(user=actor).filter(pk=subject.pk).exists():
            raise CaseRefused({"subject": _("Not found.")}, kind=Kind.NOT_FOUND, code="subject")
        if not set(subject_and_merged_ids(subject)) & set(handover.subjects):
            raise CaseRefused({"subject": _("This subject was not part of the hand-over.")})


def handover_informed(
    *,
    handover: Handover,
    actor: User,
    report: Report | None = None,
    subject: Subject | None = None,
) -> HandoverNotice:
    """The team told the recipient of a hand-over that a report or subject in it was corrected
    or removed: a notice in the register (shown in the case's timeline), a note on the report,
    and an entry in the audit log."""
    _refuse_notice(handover=handover, actor=actor, report=report, subject=subject)
    # _refuse_notice made sure that exactly one of the two is given.
    about = report.reference if report is not None else subject.name if subject else ""
    with transaction.atomic():
        notice = HandoverNotice.objects.create(
            handover=handover,
            report=report,
            subject=subject,
            about=about[:300],
            by=actor,
            at=timezone.now(),
        )
        if report is not None:
            note_write(
                report=report,
                actor=actor,
                text=_("%(recipient)s was informed of the correction (hand-over of %(date)s).")
                % {"recipient": handover.recipient, "date": dates.long(handover.at)},
            )
        audit_record(
            actor=actor,
            action=AuditAction.CASE_HANDOVER_INFORMED,
            target=handover.case,
            detail={
                "handover": handover.pk,
                "notice": notice.pk,
                "report": report.pk if report is not None else None,
                "subject": subject.pk if subject is not None else None,
            },
        )
    return notice


# --- on a request of the person concerned (AVG art. 19; rights/changes.py) ----------------


def handovers_holding(
    *, report_ids: Collection[int] = (), subject_ids: Collection[int] = ()
) -> list[Handover]:
    """Every hand-over that included one of these reports or subjects, as the register's own
    lists name them — also when the report left its case or is gone — with its notices: the
    privacy officer's list of recipients to tell of a correction, removal or restriction
    (AVG art. 19). Hand-overs are few; their lists are read in full, the rest only of those
    that hold one."""
    reports, subjects = set(report_ids), set(subject_ids)
    ids = [
        pk
        for pk, held_reports, held_subjects in Handover.objects.values_list(
            "pk", "reports", "subjects"
        ).order_by()
        if reports & set(held_reports or ()) or subjects & set(held_subjects or ())
    ]
    return list(
        Handover.objects.filter(pk__in=ids)
        .select_related("case")
        .prefetch_related("notices__by")
        .order_by("at", "pk")
    )


def handover_informed_on_request(
    *,
    handover: Handover,
    actor: User,
    report_id: int | None = None,
    subject_id: int | None = None,
    request: str,
    about: str | None = None,
) -> HandoverNotice:
    """The privacy officer told the recipient of a hand-over that a report or subject in it
    was corrected, removed or restricted on the request `request` of the person concerned
    (AVG art. 19): a notice in the register as the team's (handover_informed), a note on the
    report while it is there, and an entry in the audit log. She does not work in the case;
    she may as the one who carries out requests (reports.access.may_act_on_request), and
    that the item was confirmed to be about the requester is the rights app's to check. The
    report or subject may be gone: the notice then names it as `about` says (a report's
    words without content), or a subject by its number."""
    if not may_act_on_request(actor):
        raise Refused("not_found", kind=Kind.NOT_FOUND)
    if (report_id is None) == (subject_id is None):
        raise CaseRefused(
            {"report": _("Give either the report or the subject the notice is about.")}
        )
    with transaction.atomic():
        report = Report.objects.filter(pk=report_id).first() if report_id is not None else None
        subject = Subject.objects.filter(pk=subject_id).first() if subject_id is not None else None
        if report_id is not None and report_id not in handover.reports:
            raise CaseRefused({"report": _("This report was not part of the hand-over.")})
        held = set(subject_and_merged_ids(subject)) if subject else {subject_id}
        if subject_id is not None and not held & set(handover.subjects):
            raise CaseRefused({"subject": _("This subject was not part of the hand-over.")})
        if report_id is not None:
            about = report.reference if report else about or f"#{report_id}"
        else:
            about = subject.name if subject else f"#{subject_id}"
        notice = HandoverNotice.objects.create(
            handover=handover,
            report=report,
            subject=subject,
            about=about[:300],
            by=actor,
            at=timezone.now(),
        )
        if report is not None:
            with translation.override(settings.LANGUAGE_CODE):  # a stored note
                text = _(
                    "%(recipient)s was told (hand-over of %(date)s) what changed on request "
                    "%(request)s of the person concerned."
                ) % {
                    "recipient": handover.recipient,
                    "date": dates.long(handover.at),
                    "request": request,
                }
            note_write(report=report, actor=actor, text=text)
        audit_record(
            actor=actor,
            action=AuditAction.CASE_HANDOVER_INFORMED,
            target=handover.case,
            detail={
                "handover": handover.pk,
                "notice": notice.pk,
                "report": report_id,
                "subject": subject_id,
                "request": request,
            },
        )
    return notice


def case_note_add(*, case: Case, actor: User, text: str) -> CaseNote:
    """A note in the case's timeline; a closed case takes notes too (what happened after)."""
    require(actor, case, CaseAction.WORK)
    text = required_text(text, "text", _("Write the note."))
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, text=text, author=actor, at=timezone.now())
        audit_record(
            actor=actor, action=AuditAction.CASE_NOTE, target=case, detail={"note": note.pk}
        )
    return note
