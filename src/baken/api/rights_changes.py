"""Carrying out a request of a data subject over the API (issue 16, AVG art. 16-19), through
the pages' own module (baken.rights.changes), so the rules, refusals and audit entries are
the pages':

- `rights/requests/{id}/changes`: per confirmed item what may be done now, what a legal hold
  keeps, the removals made (their statements of destruction) and the recipients of
  hand-overs to tell;
- `rights/requests/{id}/hits/{hit_id}/correction`: correct a confirmed report (parts of the
  uniform format, as `PATCH reports/{id}` takes them, with the revision) or registered
  subject (its fields): a new version whose reason names the request;
- `rights/requests/{id}/removal`: remove confirmed reports, subjects and cases for good, as a
  run of the retention machinery whose statement names the request (409 when a legal hold
  keeps one: nothing is removed);
- `rights/requests/{id}/hits/{hit_id}/restriction` (POST: restrict) and `…/restriction/lift`;
- `rights/requests/{id}/hits/{hit_id}/handovers/{handover_id}/told`: the recipient was told.

Privacy officer only (Capability.RIGHTS): any other role gets 403 before its body is read.
Dates are ISO 8601.
"""

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.core.problems import problem
from baken.reports import editing
from baken.rights import changes
from baken.rights.models import HitKind, Request
from baken.rights.selectors import may_handle

from .ids import id_field
from .strict import StrictSerializer

# --- what the answers hold -------------------------------------------------------------------


class RightsChangeItemSerializer(StrictSerializer):
    hit = serializers.IntegerField(help_text="The confirmed item's id.")
    kind = serializers.ChoiceField(choices=HitKind.choices)
    object_id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    exists = serializers.BooleanField(help_text="False: destroyed since it was confirmed.")
    restricted = serializers.BooleanField()
    handled = serializers.CharField(
        allow_blank=True, help_text="corrected, removed, restricted, lifted, or empty."
    )
    handled_at = serializers.DateTimeField(allow_null=True)
    may_correct = serializers.BooleanField()
    may_restrict = serializers.BooleanField()
    may_lift = serializers.BooleanField()
    may_remove = serializers.BooleanField()


class RightsHeldSerializer(StrictSerializer):
    reference = serializers.CharField(help_text="A report's or case's reference, or #subject.")
    until = serializers.DateField()


class RightsNoticeSerializer(StrictSerializer):
    by = serializers.CharField()
    at = serializers.DateTimeField()


class RightsTellSerializer(StrictSerializer):
    hit = serializers.IntegerField()
    handover = serializers.IntegerField()
    recipient = serializers.CharField()
    case = serializers.CharField(help_text="The case's reference.")
    handed_over_at = serializers.DateTimeField()
    legal_basis = serializers.CharField()
    told = RightsNoticeSerializer(many=True, help_text="Notices recorded since the item changed.")


class RightsRemovalRunSerializer(StrictSerializer):
    run = serializers.IntegerField()
    at = serializers.DateTimeField()
    statement_url = serializers.CharField(help_text="The statement of destruction (API).")


class RightsChangesSerializer(StrictSerializer):
    may_correct = serializers.BooleanField()
    may_remove = serializers.BooleanField()
    may_restrict = serializers.BooleanField()
    items = RightsChangeItemSerializer(many=True)
    held = RightsHeldSerializer(many=True, help_text="What a legal hold keeps from removal.")
    removals = RightsRemovalRunSerializer(many=True)
    to_tell = RightsTellSerializer(many=True)


class RightsCorrectionSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, help_text="Required; the request is added.")
    changes = serializers.DictField(
        help_text="A report: parts of the uniform format to replace (category, description, "
        "observed_at, location, subjects), as PATCH reports/{id} takes them. A subject: its "
        "fields (name; birth_date, bsn for a person; kvk_number, legal_form for an "
        "organisation; street, house_number, house_letter, addition, postcode, city for an "
        "address; license_plate, make, colour for a vehicle)."
    )
    revision = id_field(
        min_value=0,
        help_text="What the correction is based on: a report's revision, or the number of a "
        "subject's latest version (0 while it was never corrected). 409 `stale` when it "
        "changed since.",
    )


class RightsCorrectedSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=HitKind.choices)
    object_id = serializers.IntegerField()
    version = serializers.IntegerField(help_text="The new version (a report's revision).")
    changed = serializers.ListField(child=serializers.CharField())


class RightsRemovalSerializer(StrictSerializer):
    hits = serializers.ListField(child=id_field(), help_text="The confirmed items to remove.")


class RightsRemovedSerializer(StrictSerializer):
    run = serializers.IntegerField()
    statement_url = serializers.CharField()
    reports = serializers.IntegerField(help_text="Reports destroyed, those taken along included.")
    subjects = serializers.IntegerField()
    cases = serializers.IntegerField()


class RightsLiftSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class RightsToldSerializer(StrictSerializer):
    notice = serializers.IntegerField()
    handover = serializers.IntegerField()
    recipient = serializers.CharField()
    at = serializers.DateTimeField()


# --- the views -------------------------------------------------------------------------------


def _officer(request) -> None:
    if not may_handle(request.user):
        raise PermissionDenied


def _body(serializer_class, request) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


def _moment(value):
    return value.isoformat() if value is not None else None


def _request(request, pk: int) -> Request:
    data_request = Request.objects.filter(pk=pk).first()
    if data_request is None:
        raise changes.not_found()
    return data_request


def changes_data(actor, data_request: Request) -> dict:
    found = changes.panel(actor=actor, request=data_request)
    return {
        "may_correct": found["may_correct"],
        "may_remove": found["may_remove"],
        "may_restrict": found["may_restrict"],
        "items": [
            {
                "hit": row.hit.pk,
                "kind": row.hit.kind,
                "object_id": row.hit.object_id,
                "label": row.hit.label,
                "exists": row.exists,
                "restricted": row.restricted,
                "handled": row.hit.handled,
                "handled_at": _moment(row.hit.handled_at),
                "may_correct": row.can_correct,
                "may_restrict": row.can_restrict,
                "may_lift": row.can_lift,
                "may_remove": row.removable,
            }
            for row in found["rows"]
        ],
        "held": [{"reference": h.reference, "until": h.until.isoformat()} for h in found["held"]],
        "removals": [
            {
                "run": run.pk,
                "at": run.started_at.isoformat(),
                "statement_url": reverse("api:retention-run", args=[run.pk]),
            }
            for run in found["removals"]
        ],
        "to_tell": [
            {
                "hit": r.hit.pk,
                "handover": r.handover.pk,
                "recipient": r.handover.recipient,
                "case": r.handover.case.reference,
                "handed_over_at": r.handover.at.isoformat(),
                "legal_basis": r.handover.legal_basis,
                "told": [{"by": str(notice.by), "at": notice.at.isoformat()} for notice in r.told],
            }
            for r in found["recipients"]
        ],
    }


_NOT_ALLOWED = problem(
    "The request does not allow this (`wrong_kind`, `refused_request`), the item cannot be "
    "changed so (`wrong_item`, `removed`), or it was changed meanwhile."
)


class ChangesView(APIView):
    @extend_schema(
        operation_id="rights_request_changes",
        responses={200: RightsChangesSerializer},
        description="What may be corrected, removed, restricted or lifted of each confirmed "
        "item now, what a legal hold keeps, the removals made and whom to tell.",
    )
    def get(self, request, pk: int):
        _officer(request)
        return Response(changes_data(request.user, _request(request, pk)))


class CorrectionView(APIView):
    @extend_schema(
        operation_id="rights_hit_correct",
        request=RightsCorrectionSerializer,
        responses={200: RightsCorrectedSerializer, 409: _NOT_ALLOWED},
        description="Correct a confirmed report or registered subject: a new version whose "
        "reason is the request and `reason`. A report's correction meets the rules of intake "
        "(400 per field) and is refused with 409 when based on an older revision.",
    )
    def post(self, request, pk: int, hit_pk: int):
        _officer(request)
        body = _body(RightsCorrectionSerializer, request)
        data_request = _request(request, pk)
        hit = data_request.hits.filter(pk=hit_pk).first()
        if hit is not None and hit.kind == HitKind.SUBJECT:
            subject = changes.hit_correct_subject(
                actor=request.user,
                pk=pk,
                hit_pk=hit_pk,
                revision=body["revision"],
                changes=body["changes"],
                reason=body["reason"],
            )
            version = subject.versions.order_by("-number").first()
            return Response(
                {
                    "kind": HitKind.SUBJECT,
                    "object_id": subject.pk,
                    "version": version.number if version else 0,
                    "changed": version.changed if version else [],
                }
            )
        _request_, _hit, report = changes.report_for_correction(
            actor=request.user, pk=pk, hit_pk=hit_pk
        )
        parts, checked = editing.checked_changes(report, body["changes"])
        try:
            corrected = changes.hit_correct_report(
                actor=request.user,
                pk=pk,
                hit_pk=hit_pk,
                revision=body["revision"],
                changes=parts,
                reason=body["reason"],
                checked=checked,
            )
        except editing.NothingChanged:
            return Response(
                {
                    "kind": HitKind.REPORT,
                    "object_id": report.pk,
                    "version": report.revision,
                    "changed": [],
                }
            )
        last = corrected.versions.order_by("-number").first()
        return Response(
            {
                "kind": HitKind.REPORT,
                "object_id": corrected.pk,
                "version": corrected.revision,
                "changed": last.changed if last else [],
            }
        )


class RemovalView(APIView):
    @extend_schema(
        operation_id="rights_request_remove",
        request=RightsRemovalSerializer,
        responses={
            201: RightsRemovedSerializer,
            409: problem(
                "A legal hold keeps one of the items (`held`: nothing was removed), or the "
                "request does not allow removal."
            ),
        },
        description="Remove confirmed reports, registered subjects and cases for good, with "
        "what goes with them, as the retention run destroys: one run whose statement of "
        "destruction names the request.",
    )
    def post(self, request, pk: int):
        _officer(request)
        body = _body(RightsRemovalSerializer, request)
        run = changes.hits_remove(actor=request.user, pk=pk, hit_pks=body["hits"])
        counts = {"reports": 0, "subjects": 0, "cases": 0}
        for item in run.destroyed.all():
            key = f"{item.object_type}s"
            if key in counts:
                counts[key] += 1
        return Response(
            {
                "run": run.pk,
                "statement_url": reverse("api:retention-run", args=[run.pk]),
                **counts,
            },
            status=status.HTTP_201_CREATED,
        )


def _item(hit) -> dict:
    return {
        "hit": hit.pk,
        "kind": hit.kind,
        "object_id": hit.object_id,
        "handled": hit.handled,
        "handled_at": _moment(hit.handled_at),
    }


class RightsHandledSerializer(StrictSerializer):
    hit = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=HitKind.choices)
    object_id = serializers.IntegerField()
    handled = serializers.CharField()
    handled_at = serializers.DateTimeField()


class RestrictionView(APIView):
    @extend_schema(
        operation_id="rights_hit_restrict",
        request=None,
        responses={200: RightsHandledSerializer, 409: _NOT_ALLOWED},
        description="Restrict a confirmed report or registered subject: it leaves every "
        "inbox, search, map, list, export and subject page, as a sealed report does, until "
        "the restriction is lifted.",
    )
    def post(self, request, pk: int, hit_pk: int):
        _officer(request)
        return Response(_item(changes.hit_restrict(actor=request.user, pk=pk, hit_pk=hit_pk)))


class RestrictionLiftView(APIView):
    @extend_schema(
        operation_id="rights_hit_restriction_lift",
        request=RightsLiftSerializer,
        responses={200: RightsHandledSerializer, 409: _NOT_ALLOWED},
        description="Lift the restriction made on this request, saying why.",
    )
    def post(self, request, pk: int, hit_pk: int):
        _officer(request)
        body = _body(RightsLiftSerializer, request)
        hit = changes.hit_restriction_lift(
            actor=request.user, pk=pk, hit_pk=hit_pk, reason=body["reason"]
        )
        return Response(_item(hit))


class ToldView(APIView):
    @extend_schema(
        operation_id="rights_recipient_told",
        request=None,
        responses={201: RightsToldSerializer, 409: _NOT_ALLOWED},
        description="Record that the recipient of a hand-over that held a changed item was "
        "told: a notice in the sharing register.",
    )
    def post(self, request, pk: int, hit_pk: int, handover_pk: int):
        _officer(request)
        notice = changes.recipient_told(
            actor=request.user, pk=pk, hit_pk=hit_pk, handover_pk=handover_pk
        )
        return Response(
            {
                "notice": notice.pk,
                "handover": notice.handover_id,
                "recipient": notice.handover.recipient,
                "at": notice.at.isoformat(),
            },
            status=status.HTTP_201_CREATED,
        )


urlpatterns: list = [
    path(
        "rights/requests/<int:pk>/changes",
        ChangesView.as_view(),
        name="rights-request-changes",
    ),
    path(
        "rights/requests/<int:pk>/hits/<int:hit_pk>/correction",
        CorrectionView.as_view(),
        name="rights-hit-correction",
    ),
    path(
        "rights/requests/<int:pk>/removal",
        RemovalView.as_view(),
        name="rights-request-removal",
    ),
    path(
        "rights/requests/<int:pk>/hits/<int:hit_pk>/restriction",
        RestrictionView.as_view(),
        name="rights-hit-restriction",
    ),
    path(
        "rights/requests/<int:pk>/hits/<int:hit_pk>/restriction/lift",
        RestrictionLiftView.as_view(),
        name="rights-hit-restriction-lift",
    ),
    path(
        "rights/requests/<int:pk>/hits/<int:hit_pk>/handovers/<int:handover_pk>/told",
        ToldView.as_view(),
        name="rights-recipient-told",
    ),
]
