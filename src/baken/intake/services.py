"""The Meldpunt's writes: submitting a report, the reporter's side of the dialogue. Uploads
are `baken.reports.attachments.attachment_upload`."""

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import ApiToken, User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_deferred, audit_record
from baken.core import crypto
from baken.core.actors import SYSTEM, Actor, person
from baken.core.refusals import Kind, Refused
from baken.reports import attachments as files
from baken.reports.models import (
    PUBLIC_CHANNELS,
    Attachment,
    ClosedReceipt,
    Message,
    Receipt,
    Report,
)
from baken.reports.reporter import reporter_contact_store, reporter_mailable
from baken.reports.rows import NewRows
from baken.reports.services import report_create, report_transition
from baken.reports.validation import Checked, FieldsRefused
from baken.reports.workflow import REASON_ANSWERED, Status

from . import receipts
from .models import IdempotencyRecord
from .notifications import team_notify_answer
from .tasks import reporter_acknowledge

IDEMPOTENCY_PURPOSE = "baken.intake.idempotency.v1"


class ChannelNotAllowed(Refused):
    """A report for a channel the sender may not use (403). The Meldpunt's page says so at
    its channel field in words of its own."""

    kind = Kind.FORBIDDEN

    def __init__(self, channel: object):
        super().__init__(
            "permission_denied",
            _("Reports for the channel '%(channel)s' need an API token allowed for it.")
            % {"channel": channel},
        )
        self.channel = channel


class IdempotencyConflict(FieldsRefused):
    """The idempotency key was used before for a report with other content (409)."""

    def __init__(self) -> None:
        super().__init__(
            [
                {
                    "name": "idempotency_key",
                    "code": "conflict",
                    "reason": _("This key was already used for a different report."),
                }
            ],
            kind=Kind.CONFLICT,
        )


class TooManyAttachments(FieldsRefused):
    """More files than settings.ATTACHMENTS_PER_REPORT on one report; the message says so."""

    def __init__(self) -> None:
        message = _("At most %(count)s files per report.") % {
            "count": settings.ATTACHMENTS_PER_REPORT
        }
        super().__init__([{"name": "attachments", "code": "too_many", "reason": message}])


@dataclass(frozen=True)
class Submitted:
    report: Report
    receipt_code: str
    created: bool


def _allowed(channel: str, user: User | None, token: ApiToken | None) -> bool:
    if channel in PUBLIC_CHANNELS:
        return True
    if user is None or not user.is_authenticated:
        return False
    if token is not None:
        return channel in token.channels
    return user.can("workspace")


def _idempotency_hash(key: str) -> str:
    return hashlib.sha256(crypto.derived_key(IDEMPOTENCY_PURPOSE) + key.encode()).hexdigest()


def _payload_hash(payload: dict) -> str:
    """The report as sent, without its attachment ids: a resend from the reporting page
    uploads its photos again and so names new ids for the same report."""
    content = {k: v for k, v in payload.items() if k != "attachments"}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def report_replay(
    *, payload: object, actor: Actor, token: ApiToken | None = None
) -> Submitted | None:
    """The earlier answer when this payload's idempotency key was used before, else None.

    Looked up before the payload is checked, so that a resend succeeds even though its
    attachments now belong to the report it made the first time.
    """
    if not isinstance(payload, dict):
        return None
    key = payload.get("idempotency_key")
    if not isinstance(key, str) or not key:
        return None
    user = person(actor)
    channel = payload.get("channel") or "web"
    if not _allowed(channel, user, token):
        raise ChannelNotAllowed(channel)
    return _replay(key, payload)


def _replay(key: str, data: dict) -> Submitted | None:
    record = (
        IdempotencyRecord.objects.select_related("report")
        .filter(key_hash=_idempotency_hash(key))
        .first()
    )
    if record is None:
        return None
    if record.payload_hash != _payload_hash(data):
        raise IdempotencyConflict
    code = crypto.decrypt(bytes(record.receipt_ciphertext), purpose=f"{IDEMPOTENCY_PURPOSE}:{key}")
    return Submitted(report=record.report, receipt_code=code.decode(), created=False)


def report_submit(
    *, checked: Checked, actor: Actor, token: ApiToken | None = None, replay_looked_up: bool = False
) -> Submitted:
    """Store a checked report from any channel; the same idempotency key gives the same report.

    `actor` is the request's user: anonymous for the public form, a staff member (with or
    without `token`) for phone, e-mail, partner and import channels. Anonymous reports keep
    no trace of the sender: no IP address, no user agent, no session, no account.
    `replay_looked_up`: the caller asked `report_replay` for this payload just before (the
    API), so its idempotency key is not looked up a second time.
    """
    data = checked.data
    user = person(actor)
    if not _allowed(data["channel"], user, token):
        raise ChannelNotAllowed(data["channel"])
    if data["channel"] in PUBLIC_CHANNELS:
        # Whoever is logged in, a public report is recorded as public: a staff member who
        # reports anonymously through the Meldpunt stays anonymous in the audit log too.
        actor = AnonymousUser()
    key = data.get("idempotency_key")
    if key and not replay_looked_up and (replayed := _replay(key, checked.raw)):
        return replayed
    code = receipts.new_code()
    try:
        # The audit entries are linked to the chain last, so that the chain head's row lock
        # is held only from there to the commit (every concurrent report waits on it).
        with transaction.atomic(), audit_deferred():
            # The report's new rows (key, subjects, signs, status, receipt, contact,
            # idempotency record) are written together in one statement (reports.rows).
            rows = NewRows()
            report = report_create(
                data=data,
                category=checked.category,
                actor=actor,
                registered_by=user if data["channel"] not in PUBLIC_CHANNELS else None,
                department=checked.department,
                signs=checked.signs,
                rows=rows,
            )
            rows.add(Receipt(report=report, code_hash=receipts.code_hash(code)))
            reporter = data["reporter"]
            if not reporter["anonymous"]:
                reporter_contact_store(report=report, reporter=reporter, rows=rows)
            if key:
                rows.add(
                    IdempotencyRecord(
                        key_hash=_idempotency_hash(key),
                        report=report,
                        payload_hash=_payload_hash(checked.raw),
                        receipt_ciphertext=crypto.encrypt(
                            code.encode(), purpose=f"{IDEMPOTENCY_PURPOSE}:{key}"
                        ),
                        created_at=report.received_at,
                    )
                )
            rows.write()
            _attach(report, checked.attachments)
            if reporter_mailable(reporter):
                # Sent by the worker, never in the reporter's request (notifications.py).
                reporter_acknowledge.enqueue(report.pk)
    except IntegrityError:
        # Two copies of one offline report raced; the first one won.
        if key and (replayed := _replay(key, checked.raw)):
            return replayed
        raise
    return Submitted(report=report, receipt_code=code, created=True)


def _attach(report: Report, attachments: list[Attachment]) -> None:
    ids = [a.id for a in attachments]
    # Their file keys are wrapped anew under the report's own key (ADR 0031).
    if ids and files.attach(report, ids) != len(ids):
        raise IntegrityError("an attachment was used by another report")


def receipt_closed(*, code: str) -> bool:
    """Whether `code` was the receipt of a report destroyed after its retention period."""
    return ClosedReceipt.objects.filter(code_hash=receipts.code_hash(code)).exists()


def report_for_receipt(*, code: str) -> Report | None:
    receipt = (
        Receipt.objects.select_related("report").filter(code_hash=receipts.code_hash(code)).first()
    )
    return receipt.report if receipt else None


def followup_message_add(*, report: Report, text: str, actor: Actor) -> Message:
    """The reporter adds a message or answers a question (the API's follow-up)."""
    message = followup_add(report=report, text=text, attachments=[], actor=actor).message
    if message is None:
        raise ValueError("a message needs its text")
    return message


@dataclass(frozen=True)
class FollowedUp:
    report: Report  # as it is now: its status is what the reporter is shown next
    message: Message | None


def followup_add(
    *, report: Report, text: str, attachments: list[Attachment], actor: Actor
) -> FollowedUp:
    """The reporter answers, adds something, or adds photos later (uploaded and cleaned like
    the report's own, by reports.attachments.attachment_upload).

    Anything from the reporter returns a report that waits for an answer to the team's triage
    queue (workflow: awaiting_reporter → in_triage), where the team sees it arrived.
    """
    message = None
    with transaction.atomic():
        # Locked and read again: two answers at once must not both move the report.
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if text:
            message = Message(report=locked, author=Message.Author.REPORTER, sent_at=timezone.now())
            message.text = text  # encrypted under the report's own key (ADR 0031)
            message.save()
            audit_record(
                actor=actor,
                action=AuditAction.REPORT_REPORTER_MESSAGE,
                target=locked,
                detail={"message": message.pk},
            )
        if attachments:
            if locked.attachments.count() + len(attachments) > settings.ATTACHMENTS_PER_REPORT:
                raise TooManyAttachments
            _attach(locked, attachments)
            Attachment.objects.filter(id__in=[a.id for a in attachments]).update(added_later=True)
            audit_record(
                actor=actor,
                action=AuditAction.REPORT_REPORTER_ATTACHMENT,
                target=locked,
                detail={"attachments": [str(a.id) for a in attachments]},
            )
        if (text or attachments) and locked.status == Status.AWAITING_REPORTER:
            locked = report_transition(
                report=locked,
                to_status=Status.IN_TRIAGE,
                actor=actor,
                reason=REASON_ANSWERED,
            )
        if text or attachments:
            team_notify_answer(report=locked, actor=actor)
    return FollowedUp(report=locked, message=message)


def report_import(*, checked: Checked) -> bool:
    """Store one checked row of an imported register; False when it was imported before.

    Imported reports get no receipt code: there is nobody to hand one to.
    """
    data = checked.data
    key_hash = _idempotency_hash(data["idempotency_key"])
    if IdempotencyRecord.objects.filter(key_hash=key_hash).exists():
        return False
    with transaction.atomic(), audit_deferred():
        report = report_create(
            data=data,
            category=checked.category,
            actor=SYSTEM,
            department=checked.department,
            signs=checked.signs,
        )
        if not data["reporter"]["anonymous"]:
            reporter_contact_store(report=report, reporter=data["reporter"])
        IdempotencyRecord.objects.create(
            key_hash=key_hash,
            report=report,
            payload_hash=_payload_hash(checked.raw),
            receipt_ciphertext=b"",
            created_at=report.received_at,
        )
    return True
