"""Carrying out a request of a data subject on the items the privacy officer confirmed to be
about them (issue 16): correction (AVG art. 16), removal (art. 17), restriction (art. 18), and
telling the recipients of earlier hand-overs (art. 19).

Each change goes through the app that owns the item, as its own work does:

- a report is corrected as an improvement is (reports.editing.report_correct: a new version,
  the reporter's original kept), a registered subject gets a version of its own
  (subjects.corrections.subject_correct); the reason names the request;
- removal destroys through the retention machinery (privacy.removal): one run whose statement
  of destruction names the request instead of a rule; a legal hold still blocks;
- restriction seals a report as a decision 'no action' does, and makes a subject known to
  nobody (reports.restriction, subjects.restriction), until it is lifted with a reason;
- the recipients of hand-overs that held a changed item are listed, and telling one is a
  notice in the sharing register (cases.work.handover_informed_on_request).

Only the privacy officer (Capability.RIGHTS); anyone else is refused as if the request did not
exist. A change is allowed on a request of its kind while it is open, or once it is granted
in full or in part (never after a refusal); lifting a restriction is allowed at any time.
Each change is a `Step` in the request's timeline, an audit entry on the request and marks
the item's `Hit.handled`.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.cases.models import Case, Handover, HandoverNotice
from baken.cases.work import handover_informed_on_request, handovers_holding
from baken.core import dates
from baken.core.actors import Actor
from baken.core.refusals import Kind, Refused
from baken.privacy.destruction import held_of
from baken.privacy.models import RetentionRun
from baken.privacy.removal import removal_on_request
from baken.reports import editing, restriction
from baken.reports.models import Report
from baken.reports.validation import Checked
from baken.subjects import restriction as subject_restriction
from baken.subjects.corrections import subject_correct
from baken.subjects.models import Relation, Subject

from .models import Hit, HitKind, Outcome, Request, RequestKind, RequestState, Step, StepKind
from .selectors import may_handle


class Handled:
    """What was done to a confirmed item (`Hit.handled`)."""

    CORRECTED = "corrected"
    REMOVED = "removed"
    RESTRICTED = "restricted"
    LIFTED = "lifted"


HANDLED_LABELS = {
    Handled.CORRECTED: gettext_lazy("Corrected"),
    Handled.REMOVED: gettext_lazy("Removed"),
    Handled.RESTRICTED: gettext_lazy("Restricted"),
    Handled.LIFTED: gettext_lazy("Restriction lifted"),
}

CORRECT, REMOVE, RESTRICT = "correct", "remove", "restrict"
# Which requests allow which change (AVG art. 16, 17 with 21, 18(1)(a), (b), (c) and (d)).
REQUEST_KINDS = {
    CORRECT: {RequestKind.RECTIFICATION},
    REMOVE: {RequestKind.ERASURE, RequestKind.OBJECTION},
    RESTRICT: {RequestKind.RESTRICTION, RequestKind.RECTIFICATION, RequestKind.OBJECTION},
}
# Which items each change applies to.
ITEM_KINDS = {
    CORRECT: {HitKind.REPORT, HitKind.SUBJECT},
    REMOVE: {HitKind.REPORT, HitKind.SUBJECT, HitKind.CASE},
    RESTRICT: {HitKind.REPORT, HitKind.SUBJECT},
}
GRANTED = {Outcome.GRANTED, Outcome.PARTLY}
REASON_MAX = 2000


def _(message: str) -> str:
    """What is stored (a version's reason, a step of the timeline): in the product's language,
    whatever language the page or the API client asks for."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


def not_found() -> Refused:
    return Refused("not_found", gettext_lazy("There is no such request."), kind=Kind.NOT_FOUND)


def _officer(actor: Actor) -> User:
    if not (isinstance(actor, User) and may_handle(actor)):
        raise not_found()
    return actor


def allows(request: Request, change: str) -> bool:
    """Whether `request` allows `change` now: of its kind, and open or granted."""
    return request.kind in REQUEST_KINDS[change] and (
        request.state == RequestState.OPEN or request.outcome in GRANTED
    )


def _refuse_change(request: Request, change: str) -> None:
    if request.kind not in REQUEST_KINDS[change]:
        message = {
            CORRECT: gettext_lazy("Only a request for correction corrects an item."),
            REMOVE: gettext_lazy("Only a request for removal or an objection removes items."),
            RESTRICT: gettext_lazy(
                "Only a request for restriction, for correction or an objection restricts an item."
            ),
        }[change]
        raise Refused("wrong_kind", message, kind=Kind.CONFLICT)
    if not allows(request, change):
        raise Refused(
            "refused_request",
            gettext_lazy("The request was refused: nothing is changed on it."),
            kind=Kind.CONFLICT,
        )


def _locked(pk: int) -> Request:
    request = Request.objects.select_for_update().filter(pk=pk).first()
    if request is None:
        raise not_found()
    return request


def _hit(request: Request, hit_pk: int) -> Hit:
    hit = Hit.objects.filter(request=request, pk=hit_pk).first()
    if hit is None:
        raise Refused(
            "hit_not_found",
            gettext_lazy("This item is not confirmed on this request."),
            kind=Kind.NOT_FOUND,
        )
    return hit


def _for_change(actor: Actor, pk: int, hit_pk: int, change: str) -> tuple[User, Request, Hit]:
    """The officer, the locked request and its confirmed item, if `change` may be made."""
    user = _officer(actor)
    request = _locked(pk)
    hit = _hit(request, hit_pk)
    _refuse_change(request, change)
    if hit.kind not in ITEM_KINDS[change]:
        raise Refused(
            "wrong_item",
            gettext_lazy("This cannot be done to an item of this kind."),
            kind=Kind.CONFLICT,
        )
    if hit.handled == Handled.REMOVED:
        raise Refused("removed", gettext_lazy("This item was removed."), kind=Kind.CONFLICT)
    return user, request, hit


def _done(
    request: Request,
    user: User,
    hit: Hit | None,
    *,
    kind: str,
    text: str,
    action,
    handled: str = "",
    detail: dict | None = None,
) -> Step:
    now = timezone.now()
    if hit is not None and handled:
        hit.handled, hit.handled_at = handled, now
        hit.save(update_fields=["handled", "handled_at"])
    step = Step.objects.create(request=request, kind=kind, text=text, by=user, at=now)
    audit_record(actor=user, action=action, target=request, detail=detail or {})
    return step


def request_reason(request: Request, reason: str) -> str:
    """The reason a changed item keeps: the request and the officer's words."""
    return _("Request %(reference)s: %(reason)s") % {
        "reference": request.reference,
        "reason": reason.strip(),
    }


# --- correction (AVG art. 16) ----------------------------------------------------------------


def report_for_correction(*, actor: Actor, pk: int, hit_pk: int) -> tuple[Request, Hit, Report]:
    """The report of a confirmed item to correct, for its form (the read is recorded by the
    caller's page or endpoint: reports' own entry, see `correction_read`)."""
    _officer(actor)
    request = Request.objects.filter(pk=pk).first()
    if request is None:
        raise not_found()
    hit = _hit(request, hit_pk)
    _refuse_change(request, CORRECT)
    if hit.kind != HitKind.REPORT:
        raise Refused("wrong_item", gettext_lazy("This item is not a report."), kind=Kind.NOT_FOUND)
    report = Report.objects.select_related("category").filter(pk=hit.object_id).first()
    if report is None:
        raise Refused("gone", gettext_lazy("This report is not there any more."), kind=Kind.GONE)
    return request, hit, report


def subject_for_correction(*, actor: Actor, pk: int, hit_pk: int) -> tuple[Request, Hit, Subject]:
    """The registered subject of a confirmed item to correct, for its form."""
    _officer(actor)
    request = Request.objects.filter(pk=pk).first()
    if request is None:
        raise not_found()
    hit = _hit(request, hit_pk)
    _refuse_change(request, CORRECT)
    if hit.kind != HitKind.SUBJECT:
        raise Refused(
            "wrong_item",
            gettext_lazy("This item is not a registered subject."),
            kind=Kind.NOT_FOUND,
        )
    subject = Subject.objects.filter(pk=hit.object_id).first()
    if subject is None:
        raise Refused("gone", gettext_lazy("This subject is not there any more."), kind=Kind.GONE)
    return request, hit, subject


def correction_read(*, actor: User, request: Request, target: Report | Subject) -> None:
    """The officer opened a report's or subject's content to correct it: a read of it, with
    the request (each page view or GET is one entry)."""
    action = AuditAction.REPORT_READ if isinstance(target, Report) else AuditAction.SUBJECT_READ
    audit_record(
        actor=actor,
        action=action,
        target=target,
        detail={"parts": ["correct"], "request": request.reference},
    )


def hit_correct_report(
    *,
    actor: Actor,
    pk: int,
    hit_pk: int,
    revision: int,
    changes: dict,
    reason: str,
    checked: Checked,
) -> Report:
    """Correct a confirmed report: a new version with the request in its reason (see
    reports.editing.report_correct, which raises StaleRevision, ReportMerged and
    NothingChanged as an improvement does)."""
    with transaction.atomic():
        user, request, hit = _for_change(actor, pk, hit_pk, CORRECT)
        if hit.kind != HitKind.REPORT:
            raise Refused(
                "wrong_item", gettext_lazy("This item is not a report."), kind=Kind.CONFLICT
            )
        _reason_required(reason)
        report = Report.objects.filter(pk=hit.object_id).first()
        if report is None:
            raise Refused(
                "gone", gettext_lazy("This report is not there any more."), kind=Kind.GONE
            )
        corrected = editing.report_correct(
            report=report,
            actor=user,
            revision=revision,
            changes=changes,
            reason=request_reason(request, reason),
            checked=checked,
        )
        version = corrected.versions.order_by("-number").first()
        fields = ", ".join(version.changed) if version else ""
        _done(
            request,
            user,
            hit,
            kind=StepKind.CORRECTED,
            text=_("%(item)s: version %(version)s (%(fields)s). %(reason)s")
            % {
                "item": hit.label,
                "version": corrected.revision,
                "fields": fields,
                "reason": reason.strip(),
            },
            action=AuditAction.RIGHTS_CORRECT,
            handled=Handled.CORRECTED,
            detail={"kind": hit.kind, "object_id": hit.object_id, "version": corrected.revision},
        )
    return corrected


def _reason_required(reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise Refused("required", gettext_lazy("Give the reason."), field="reason")
    if len(reason) > REASON_MAX:
        raise Refused(
            "too_long",
            gettext_lazy("Keep the reason under 2000 characters."),
            field="reason",
        )


def hit_correct_subject(
    *, actor: Actor, pk: int, hit_pk: int, revision: int, changes: dict, reason: str
) -> Subject:
    """Correct a confirmed registered subject (subjects.corrections.subject_correct): the
    changed fields, a version, the request in its reason. Refused per field (400), and as
    SubjectStale (409) when `revision` is not its latest version any more."""
    with transaction.atomic():
        user, request, hit = _for_change(actor, pk, hit_pk, CORRECT)
        if hit.kind != HitKind.SUBJECT:
            raise Refused(
                "wrong_item",
                gettext_lazy("This item is not a registered subject."),
                kind=Kind.CONFLICT,
            )
        _reason_required(reason)
        subject = subject_correct(
            actor=user,
            subject=hit.object_id,
            revision=revision,
            changes=changes,
            reason=request_reason(request, reason),
        )
        version = subject.versions.order_by("-number").first()
        _done(
            request,
            user,
            hit,
            kind=StepKind.CORRECTED,
            text=_("%(item)s: version %(version)s (%(fields)s). %(reason)s")
            % {
                "item": f"#{subject.pk}",
                "version": version.number if version else "",
                "fields": ", ".join(version.changed) if version else "",
                "reason": reason.strip(),
            },
            action=AuditAction.RIGHTS_CORRECT,
            handled=Handled.CORRECTED,
            detail={
                "kind": hit.kind,
                "object_id": hit.object_id,
                "version": version.number if version else None,
            },
        )
    return subject


# --- removal (AVG art. 17) -------------------------------------------------------------------


_MODELS: dict[str, type[Model]] = {
    HitKind.REPORT: Report,
    HitKind.SUBJECT: Subject,
    HitKind.CASE: Case,
    HitKind.RELATION: Relation,
    HitKind.HANDOVER: Handover,
}
RESTRICTABLE = (HitKind.REPORT, HitKind.SUBJECT)


@dataclass(frozen=True)
class State:
    """What a confirmed item is now: whether it exists, and the request it is restricted on
    (None: not restricted)."""

    exists: bool = False
    restricted_for: str | None = None
    merged_into: int | None = None  # a subject merged into another: restricted with it


def _states(hits) -> dict[tuple[str, int], State]:
    """The state of each of `hits`' items by (kind, object id): one query per kind of item,
    whatever the number of items. An item that is gone is not in it (State())."""
    wanted: dict[str, set[int]] = {}
    for hit in hits:
        wanted.setdefault(hit.kind, set()).add(hit.object_id)
    states: dict[tuple[str, int], State] = {}
    for kind, ids in wanted.items():
        model = _MODELS.get(kind)
        if model is None:
            continue
        rows = model._default_manager.filter(pk__in=ids).order_by()
        if kind == HitKind.SUBJECT:
            for pk, at, reference, into in rows.values_list(
                "pk", "restricted_at", "restricted_for", "merged_into_id"
            ):
                states[(kind, pk)] = State(
                    True, reference if at is not None else None, merged_into=into
                )
        elif kind == HitKind.REPORT:
            for pk, at, reference in rows.values_list("pk", "restricted_at", "restricted_for"):
                states[(kind, pk)] = State(True, reference if at is not None else None)
        else:
            for pk in rows.values_list("pk", flat=True):
                states[(kind, pk)] = State(True)
    return states


def _state(states: dict[tuple[str, int], State], hit: Hit) -> State:
    return states.get((hit.kind, hit.object_id), State())


def hits_remove(*, actor: Actor, pk: int, hit_pks: list[int]) -> RetentionRun:
    """Remove the confirmed reports, subjects and cases `hit_pks` for good, in one run whose
    statement of destruction names the request (privacy.removal: a legal hold refuses it
    all, RemovalHeld). Every confirmed item that is gone afterwards — also what went with
    them: a relation, a hand-over of a removed case — is marked removed."""
    user = _officer(actor)
    with transaction.atomic():
        request = _locked(pk)
        _refuse_change(request, REMOVE)
        wanted = set(hit_pks)
        hits = list(
            Hit.objects.filter(request=request, pk__in=wanted, kind__in=ITEM_KINDS[REMOVE]).exclude(
                handled=Handled.REMOVED
            )
        )
        if not wanted or len(hits) != len(wanted):
            raise Refused(
                "choose",
                gettext_lazy("Choose the reports, subjects and cases to remove."),
                field="items",
            )
        ids = {kind: [h.object_id for h in hits if h.kind == kind] for kind in ITEM_KINDS[REMOVE]}
        shared = _case_handovers(ids[HitKind.CASE])
        run, done = removal_on_request(
            actor=user,
            reference=request.reference,
            reports=ids[HitKind.REPORT],
            subjects=ids[HitKind.SUBJECT],
            cases=ids[HitKind.CASE],
        )
        now = timezone.now()
        left = [h for h in request.hits.all() if h.handled != Handled.REMOVED]
        states = _states(left)
        gone = [h for h in left if not _state(states, h).exists]
        for hit in gone:
            hit.handled, hit.handled_at = Handled.REMOVED, now
        Hit.objects.bulk_update(gone, ["handled", "handled_at"])
        _relabel_gone()
        gone = list(Hit.objects.filter(pk__in=[h.pk for h in gone]))
        text = _("Removed for good (statement of destruction no. %(run)s): %(items)s.") % {
            "run": run.pk,
            "items": "; ".join(h.label for h in gone),
        }
        if shared:
            text += " " + _("The hand-overs of the removed cases, to tell: %(handovers)s.") % {
                "handovers": "; ".join(shared)
            }
        _done(
            request,
            user,
            None,
            kind=StepKind.REMOVED,
            text=text,
            action=AuditAction.RIGHTS_REMOVE,
            detail={
                "run": run.pk,
                "items": [[h.kind, h.object_id] for h in gone],
                "reports": done.reports,
                "subjects": done.subjects,
                "cases": done.cases,
            },
        )
    return run


# What a confirmed item that is gone is called from then on: by its number, as the statement
# of destruction and the audit log know it, without a name of the person or anyone else (a
# case's title, a relation's other end). A report keeps its reference and date; a hand-over
# its case, recipient and day (whom to tell).
RENAMED = (HitKind.SUBJECT, HitKind.CASE, HitKind.RELATION)


def _neutral(hit: Hit) -> str:
    if hit.kind == HitKind.SUBJECT:
        return _("Subject #%(id)s") % {"id": hit.object_id}
    if hit.kind == HitKind.CASE:
        return _("Case #%(id)s") % {"id": hit.object_id}
    return _("Relation #%(id)s") % {"id": hit.object_id}


def _relabel_gone() -> None:
    """Every confirmed subject, case and relation in the register whose object is gone (on
    this request, another one, or by a run), and the steps that named it: by its number
    only. A query for the hits, one per kind of item, and one for the steps."""
    hits = [
        hit
        for hit in Hit.objects.filter(kind__in=RENAMED).only("pk", "kind", "object_id", "label")
        if hit.label != _neutral(hit)
    ]
    states = _states(hits)
    hits = [hit for hit in hits if not _state(states, hit).exists]
    if not hits:
        return
    # A step about the item (confirmed, rejected), or one about no item in particular.
    renamed = {(hit.kind, hit.object_id, hit.label): _neutral(hit) for hit in hits}
    named = Q()
    for kind, object_id, label in renamed:
        named |= Q(text__contains=label) & (
            Q(item_kind=kind, object_id=object_id) | Q(item_kind="")
        )
    steps = list(Step.objects.filter(named).only("pk", "text", "item_kind", "object_id"))
    for step in steps:
        for (kind, object_id, label), neutral in renamed.items():
            if step.item_kind in ("", kind) and step.object_id in (None, object_id):
                step.text = step.text.replace(label, neutral)
    Step.objects.bulk_update(steps, ["text"])
    for hit in hits:
        hit.label = _neutral(hit)
    Hit.objects.bulk_update(hits, ["label"])


def _case_handovers(case_ids: list[int]) -> list[str]:
    """The hand-overs of cases about to be removed, in words (recipient, legal basis, day):
    their rows go with the case, so the step keeps whom to tell."""
    return [
        _("%(recipient)s (%(basis)s, %(date)s)")
        % {"recipient": h.recipient, "basis": h.legal_basis, "date": dates.long(h.at)}
        for h in Handover.objects.filter(case_id__in=case_ids).order_by("at")
    ]


# --- restriction (AVG art. 18) ---------------------------------------------------------------


def hit_restrict(*, actor: Actor, pk: int, hit_pk: int) -> Hit:
    """Restrict a confirmed report or subject on this request."""
    with transaction.atomic():
        user, request, hit = _for_change(actor, pk, hit_pk, RESTRICT)
        if hit.kind == HitKind.REPORT:
            restriction.report_restrict(
                actor=user, report=hit.object_id, reference=request.reference
            )
        else:
            subject_restriction.subject_restrict(
                actor=user, subject=hit.object_id, reference=request.reference
            )
        _done(
            request,
            user,
            hit,
            kind=StepKind.RESTRICTED,
            text=_item(hit),
            action=AuditAction.RIGHTS_RESTRICT,
            handled=Handled.RESTRICTED,
            detail={"kind": hit.kind, "object_id": hit.object_id},
        )
    return hit


def _item(hit: Hit) -> str:
    """An item in a step's words: a subject by its number (the step outlives it)."""
    return f"#{hit.object_id}" if hit.kind == HitKind.SUBJECT else hit.label


def hit_restriction_lift(*, actor: Actor, pk: int, hit_pk: int, reason: str) -> Hit:
    """Lift the restriction of a confirmed report or subject, saying why (at any time, also
    after the request was decided). Only a restriction made on this request."""
    user = _officer(actor)
    with transaction.atomic():
        request = _locked(pk)
        hit = _hit(request, hit_pk)
        # The item's own restriction decides, not what was last done to it: restricted,
        # then corrected (AVG art. 18(1)(a)), it is still this request's to lift.
        if not _restricted_here(request, _state(_states([hit]), hit)):
            raise Refused(
                "not_restricted",
                gettext_lazy("This item was not restricted on this request."),
                kind=Kind.CONFLICT,
            )
        _reason_required(reason)
        if hit.kind == HitKind.REPORT:
            restriction.report_restriction_lift(actor=user, report=hit.object_id, reason=reason)
        else:
            subject_restriction.subject_restriction_lift(
                actor=user, subject=hit.object_id, reason=reason
            )
        # (A step of its own kind would need a new StepKind: a note says what happened.)
        _done(
            request,
            user,
            hit,
            kind=StepKind.NOTE,
            text=_("Restriction lifted: %(item)s. %(reason)s")
            % {"item": _item(hit), "reason": reason.strip()},
            action=AuditAction.RIGHTS_RESTRICTION_LIFT,
            handled=Handled.LIFTED,
            detail={"kind": hit.kind, "object_id": hit.object_id},
        )
    return hit


# --- telling the recipients of earlier hand-overs (AVG art. 19) ------------------------------


@dataclass
class Recipient:
    """A hand-over that held a changed item, and whether its recipient was told since."""

    hit: Hit
    handover: Handover
    told: list[HandoverNotice] = field(default_factory=list)


def _about(hit: Hit, notice: HandoverNotice) -> bool:
    """Whether `notice` is about the item of `hit`, also once it is gone (its FK empty: the
    notice names it as handover_informed_on_request did)."""
    if hit.kind == HitKind.REPORT:
        return notice.report_id == hit.object_id or (
            notice.report_id is None and notice.about == hit.label[:300]
        )
    return notice.subject_id == hit.object_id or (
        notice.subject_id is None and notice.about == f"#{hit.object_id}"
    )


def recipients(*, actor: Actor, request: Request, hits: list[Hit] | None = None) -> list[Recipient]:
    """Per changed report or subject of `request` (or of its `hits`, read already), the
    hand-overs that held it, with the notices recorded since it was changed. The recipients
    of a removed case's hand-overs are in the removal's step and its statement of
    destruction (their rows went with the case). The hand-overs of all items are read at
    once."""
    _officer(actor)
    changed = [
        hit
        for hit in (request.hits.all() if hits is None else hits)
        if hit.kind in RESTRICTABLE and hit.handled
    ]
    if not changed:
        return []
    # A subject's hand-overs are also those of the subjects merged into it.
    merged: dict[int, set[int]] = {
        hit.object_id: {hit.object_id} for hit in changed if hit.kind == HitKind.SUBJECT
    }
    for pk, into in Subject.objects.filter(merged_into_id__in=list(merged)).values_list(
        "pk", "merged_into_id"
    ):
        merged[into].add(pk)
    handovers = handovers_holding(
        report_ids=[hit.object_id for hit in changed if hit.kind == HitKind.REPORT],
        subject_ids={pk for ids in merged.values() for pk in ids},
    )
    found = []
    for hit in changed:
        is_report = hit.kind == HitKind.REPORT
        ids = {hit.object_id} if is_report else merged[hit.object_id]
        for handover in handovers:
            held = handover.reports if is_report else handover.subjects
            if not ids & set(held or ()):
                continue
            told = [
                notice
                for notice in handover.notices.all()
                if hit.handled_at and notice.at >= hit.handled_at and _about(hit, notice)
            ]
            found.append(Recipient(hit=hit, handover=handover, told=told))
    return found


def recipient_told(*, actor: Actor, pk: int, hit_pk: int, handover_pk: int) -> HandoverNotice:
    """Record that the recipient of hand-over `handover_pk` was told what changed of the
    confirmed item `hit_pk`: a notice in the sharing register, a step and an audit entry."""
    user = _officer(actor)
    with transaction.atomic():
        request = _locked(pk)
        hit = _hit(request, hit_pk)
        if not hit.handled or hit.kind not in (HitKind.REPORT, HitKind.SUBJECT):
            raise Refused(
                "not_changed",
                gettext_lazy("Nothing was changed of this item on this request."),
                kind=Kind.CONFLICT,
            )
        handover = Handover.objects.select_related("case").filter(pk=handover_pk).first()
        if handover is None:
            raise Refused(
                "handover_not_found",
                gettext_lazy("There is no such hand-over."),
                kind=Kind.NOT_FOUND,
            )
        is_report = hit.kind == HitKind.REPORT
        notice = handover_informed_on_request(
            handover=handover,
            actor=user,
            report_id=hit.object_id if is_report else None,
            subject_id=None if is_report else hit.object_id,
            request=request.reference,
            about=hit.label if is_report else None,
        )
        _done(
            request,
            user,
            None,
            kind=StepKind.NOTE,
            text=_("%(recipient)s was told (hand-over of case %(case)s of %(date)s): %(item)s.")
            % {
                "recipient": handover.recipient,
                "case": handover.case.reference,
                "date": _date(handover.at),
                "item": _item(hit),
            },
            action=AuditAction.RIGHTS_RECIPIENT_TOLD,
            detail={
                "handover": handover.pk,
                "notice": notice.pk,
                "kind": hit.kind,
                "object_id": hit.object_id,
            },
        )
    return notice


def _date(at: datetime) -> str:
    return dates.long(at)


# --- what the request page's panel shows (rights/templates/rights/_changes.html) -------------


@dataclass
class Row:
    """A confirmed item and what may be done to it now."""

    hit: Hit
    exists: bool
    restricted: bool  # on any request
    restricted_here: bool  # on this request: it may be lifted here
    merged_into: int | None  # the subject this one was merged into (restricted with it)
    can_correct: bool
    can_restrict: bool
    can_lift: bool
    removable: bool

    @property
    def handled_label(self) -> str:
        return str(HANDLED_LABELS.get(self.hit.handled, ""))


def _restricted_here(request: Request, state: State) -> bool:
    """Whether the item is restricted on `request` (the reference as the item keeps it)."""
    return state.exists and state.restricted_for == request.reference[:32]


def panel(*, actor: Actor, request: Request) -> dict:
    """What the changes panel of `request` shows: per confirmed item what may be done now,
    the items that may be removed (and which a legal hold keeps), and the recipients of
    hand-overs to tell. Reads ids and states only, a few queries per kind of item whatever
    their number; the page's read was recorded."""
    _officer(actor)
    hits = list(request.hits.all())
    states = _states(hits)
    rows = []
    for hit in hits:
        state = _state(states, hit)
        restricted = state.restricted_for is not None
        live = state.exists and hit.handled != Handled.REMOVED
        rows.append(
            Row(
                hit=hit,
                exists=state.exists,
                restricted=restricted,
                restricted_here=_restricted_here(request, state),
                merged_into=state.merged_into,
                can_correct=live and allows(request, CORRECT) and hit.kind in ITEM_KINDS[CORRECT],
                can_restrict=live
                and not restricted
                and state.merged_into is None
                and allows(request, RESTRICT)
                and hit.kind in ITEM_KINDS[RESTRICT],
                can_lift=live and _restricted_here(request, state),
                removable=live and allows(request, REMOVE) and hit.kind in ITEM_KINDS[REMOVE],
            )
        )
    removable = [row.hit for row in rows if row.removable]
    held = (
        held_of(
            reports=[h.object_id for h in removable if h.kind == HitKind.REPORT],
            subjects=[h.object_id for h in removable if h.kind == HitKind.SUBJECT],
            cases=[h.object_id for h in removable if h.kind == HitKind.CASE],
            now=timezone.now(),
        )
        if removable
        else []
    )
    return {
        "rows": rows,
        "removable": removable,
        "held": held,
        "recipients": recipients(actor=actor, request=request, hits=hits),
        "may_correct": allows(request, CORRECT),
        "may_remove": allows(request, REMOVE),
        "may_restrict": allows(request, RESTRICT),
        "removals": list(
            RetentionRun.objects.filter(request_reference=request.reference).order_by("started_at")
        ),
    }


def removable(*, actor: Actor, request: Request) -> list[Hit]:
    """The confirmed items of `request` that may be removed now (the removal form's)."""
    _officer(actor)
    if not allows(request, REMOVE):
        return []
    hits = list(request.hits.filter(kind__in=ITEM_KINDS[REMOVE]).exclude(handled=Handled.REMOVED))
    states = _states(hits)
    return [hit for hit in hits if _state(states, hit).exists]


def removal_choices(hits: list[Hit]) -> list[tuple[str, str]]:
    """The removal form's choices: each item by its label (a subject by its number too)."""
    return [(str(hit.pk), hit.label) for hit in hits]
