"""The privacy officer's review of a flag (issue 16): justified, to discuss or an incident,
always with a note. A flag may be reviewed again (one 'to discuss' usually is); every review
is kept (FlagReview) and the flag shows the latest. Nobody reviews a flag about their own
reads: that is for another privacy officer."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import Actor
from baken.core.refusals import Kind, Refused

from .models import REVIEWED, AccessFlag, FlagReview
from .selectors import may_review

NOTE_MAX = 5000


@transaction.atomic
def flag_review(*, actor: Actor, pk: int, state: str, note: str) -> AccessFlag:
    if not (isinstance(actor, User) and may_review(actor)):
        raise Refused(
            "forbidden", _("Only the privacy officer reviews access."), kind=Kind.FORBIDDEN
        )
    flag = AccessFlag.objects.select_for_update().filter(pk=pk).first()
    if flag is None:
        raise Refused("not_found", kind=Kind.NOT_FOUND)
    if flag.user_id == actor.pk:
        raise Refused(
            "own_flag",
            _("This flag is about your own reads: another privacy officer reviews it."),
            kind=Kind.FORBIDDEN,
        )
    problems = {}
    if state not in REVIEWED:
        problems["state_invalid"] = ("state", _("Choose justified, to discuss or incident."))
    note = note.strip()
    if not note:
        problems["note_required"] = ("note", _("Write down why: a review needs a note."))
    elif len(note) > NOTE_MAX:
        problems["note_too_long"] = ("note", _("Keep the note to 5000 characters."))
    if len(problems) == 1:
        [(code, (field, message))] = problems.items()
        raise Refused(code, message, field=field)
    if problems:
        raise Refused("review_invalid", problems=dict(problems.values()))
    now = timezone.now()
    FlagReview.objects.create(flag=flag, state=state, note=note, by=actor, at=now)
    flag.state, flag.review_note, flag.reviewed_by, flag.reviewed_at = state, note, actor, now
    flag.save(update_fields=["state", "review_note", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor, action=AuditAction.ACCESS_FLAG_REVIEW, target=flag, detail={"state": state}
    )
    return flag
