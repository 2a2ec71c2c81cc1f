"""The rights of data subjects over the API (issue 16), through the pages' own modules
(baken.rights.selectors, services and finding), so the rules, the refusals and the audit
entries are the pages':

- `rights/requests`: the request register (list with the filters `state`, `overdue`, `kind`;
  register a request), `rights/requests/{id}`: one request with its steps and confirmed
  hits; a note, the one extension of the deadline, the decision;
- `rights/requests/{id}/search`: find the person everywhere (by name and date of birth, BSN,
  KvK number, address or licence plate), grouped, each item with its reasons; the privacy
  officer then confirms (`hits/confirm`) or rejects (`hits/reject`) each item.

Privacy officer only (Capability.RIGHTS): any other role gets 403 before its body is read.
Dates are ISO 8601.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.core.problems import problem
from baken.rights import finding, selectors, services
from baken.rights.models import (
    Hit,
    HitKind,
    Outcome,
    Request,
    RequestKind,
    RequestState,
    Step,
    StepKind,
)

from .ids import id_field
from .pagination import PageQuerySerializer, Pagination
from .query import query
from .rights_changes import urlpatterns as changes_urlpatterns
from .rights_inzage import urlpatterns as inzage_urlpatterns
from .strict import StrictSerializer

# --- the request register: what the answers hold ---------------------------------------------


class RightsStepSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=StepKind.choices)
    kind_label = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    item_kind = serializers.CharField(
        allow_blank=True, help_text="The kind of item a confirmation or rejection is about."
    )
    object_id = serializers.IntegerField(allow_null=True, help_text="That item's id.")
    by = serializers.CharField()
    at = serializers.DateTimeField()


class RightsHitSerializer(StrictSerializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=HitKind.choices)
    object_id = serializers.IntegerField()
    label = serializers.CharField(help_text="What it is, in words, when confirmed.")  # type: ignore[assignment]
    reasons = serializers.ListField(child=serializers.CharField())
    confirmed_by = serializers.CharField()
    confirmed_at = serializers.DateTimeField()
    disclosure = serializers.CharField(
        allow_blank=True, help_text="disclose, withhold, or empty: not decided yet."
    )
    ground = serializers.CharField(allow_blank=True, help_text="Why it is withheld (a code).")
    handled = serializers.CharField(allow_blank=True)


class RightsRequestSerializer(StrictSerializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="V-<year>-<number>.")
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    kind_label = serializers.CharField()
    requester_name = serializers.CharField()
    requester_birth_date = serializers.DateField(allow_null=True)
    requester_address = serializers.CharField(allow_blank=True)
    identity_verified = serializers.CharField()
    description = serializers.CharField()
    received_on = serializers.DateField()
    deadline = serializers.DateField(help_text="One month after receipt (AVG art. 12(3)).")
    extended_until = serializers.DateField(allow_null=True)
    extension_reason = serializers.CharField(allow_blank=True)
    due = serializers.DateField(
        help_text="The extended deadline if there is one, else the deadline."
    )
    days_left = serializers.IntegerField(help_text="Days until `due`; negative: overdue.")
    overdue = serializers.BooleanField(help_text="Open and past its due date.")
    state = serializers.ChoiceField(choices=RequestState.choices)
    state_label = serializers.CharField()
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True)
    rationale = serializers.CharField(allow_blank=True)
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    created_by = serializers.CharField()
    created_at = serializers.DateTimeField()


class RightsRequestDetailSerializer(RightsRequestSerializer):
    steps = RightsStepSerializer(many=True, help_text="The timeline, oldest first.")
    hits = RightsHitSerializer(many=True, help_text="The items confirmed about the requester.")


class RightsRequestPageSerializer(StrictSerializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = RightsRequestSerializer(many=True)


def _name(user) -> str | None:
    return str(user) if user is not None else None


def _moment(value):
    return value.isoformat() if value is not None else None


def request_data(request: Request) -> dict:
    left = selectors.days_left(request)
    return {
        "id": request.pk,
        "reference": request.reference,
        "kind": request.kind,
        "kind_label": str(request.get_kind_display()),
        "requester_name": request.requester_name,
        "requester_birth_date": _moment(request.requester_birth_date),
        "requester_address": request.requester_address,
        "identity_verified": request.identity_verified,
        "description": request.description,
        "received_on": request.received_on.isoformat(),
        "deadline": request.deadline.isoformat(),
        "extended_until": _moment(request.extended_until),
        "extension_reason": request.extension_reason,
        "due": request.due.isoformat(),
        "days_left": left,
        "overdue": request.state == RequestState.OPEN and left < 0,
        "state": request.state,
        "state_label": str(request.get_state_display()),
        "outcome": request.outcome,
        "rationale": request.rationale,
        "decided_by": _name(request.decided_by),
        "decided_at": _moment(request.decided_at),
        "created_by": str(request.created_by),
        "created_at": request.created_at.isoformat(),
    }


def step_data(step: Step) -> dict:
    return {
        "kind": step.kind,
        "kind_label": str(step.get_kind_display()),
        "text": step.text,
        "item_kind": step.item_kind,
        "object_id": step.object_id,
        "by": str(step.by),
        "at": step.at.isoformat(),
    }


def hit_data(hit: Hit) -> dict:
    return {
        "id": hit.pk,
        "kind": hit.kind,
        "object_id": hit.object_id,
        "label": hit.label,
        "reasons": [str(reason) for reason in hit.reasons],
        "confirmed_by": str(hit.confirmed_by),
        "confirmed_at": hit.confirmed_at.isoformat(),
        "disclosure": hit.disclosure,
        "ground": hit.ground,
        "handled": hit.handled,
    }


def request_detail_data(request: Request) -> dict:
    return {
        **request_data(request),
        "steps": [step_data(step) for step in request.steps.all()],
        "hits": [hit_data(hit) for hit in request.hits.all()],
    }


# --- finding a person: what the answers hold -------------------------------------------------


class RightsMentionedSerializer(StrictSerializer):
    kind = serializers.CharField(help_text="The kind of subject, in words.")
    name = serializers.CharField(help_text="As the report names it.")
    reasons = serializers.ListField(child=serializers.CharField())
    linked_to = serializers.CharField(
        allow_blank=True,
        help_text="The registered subject it was judged to be; empty: not linked to one.",
    )


class RightsFoundItemSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=HitKind.choices)
    object_id = serializers.IntegerField(help_text="Give this with `kind` to confirm or reject.")
    label = serializers.CharField()  # type: ignore[assignment]
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why it was found, in words."
    )
    lines = serializers.ListField(child=serializers.CharField(), help_text="What else it is.")
    score = serializers.IntegerField(
        allow_null=True, help_text="Registered subjects: how alike (0-100)."
    )
    sealed = serializers.BooleanField(help_text="A sealed report: no one works with it.")
    state = serializers.CharField(
        allow_blank=True,
        help_text="Your judgement so far on this request: confirmed, rejected, or empty.",
    )
    mentions = RightsMentionedSerializer(many=True, help_text="Reports: the subjects named.")


class RightsFoundGroupSerializer(StrictSerializer):
    items = RightsFoundItemSerializer(many=True)
    more = serializers.BooleanField(help_text="More was found than is given: narrow the search.")


class RightsReadSerializer(StrictSerializer):
    at = serializers.DateTimeField(help_text="The last time.")
    first = serializers.DateTimeField(help_text="The first time.")
    times = serializers.IntegerField(help_text="How often this person did this to this item.")
    who = serializers.CharField()
    role = serializers.CharField()
    action = serializers.CharField()
    item = serializers.CharField()


class RightsFindingsSerializer(StrictSerializer):
    searched_by = serializers.ListField(
        child=serializers.CharField(), help_text="What was searched by, in words."
    )
    subjects = RightsFoundGroupSerializer()
    reports = RightsFoundGroupSerializer()
    relations = RightsFoundGroupSerializer()
    cases = RightsFoundGroupSerializer()
    handovers = RightsFoundGroupSerializer(help_text="Who received data about the person.")
    reads = RightsReadSerializer(
        many=True, help_text="Who read the items found: per person, action and item."
    )
    reads_more = serializers.BooleanField()


def _item(item: finding.Item) -> dict:
    return {
        "kind": item.kind,
        "object_id": item.object_id,
        "label": item.label,
        "reasons": item.reasons,
        "lines": item.lines,
        "score": item.score,
        "sealed": item.sealed,
        "state": item.state,
        "mentions": [
            {"kind": m.kind, "name": m.name, "reasons": m.reasons, "linked_to": m.linked_to}
            for m in item.mentions
        ],
    }


def findings_data(found: finding.Findings) -> dict:
    def group(g: finding.Group) -> dict:
        return {"items": [_item(item) for item in g.items], "more": g.more}

    return {
        "searched_by": found.criteria.used(),
        "subjects": group(found.subjects),
        "reports": group(found.reports),
        "relations": group(found.relations),
        "cases": group(found.cases),
        "handovers": group(found.handovers),
        "reads": [
            {
                "at": read.at.isoformat(),
                "first": read.first.isoformat(),
                "times": read.times,
                "who": read.who,
                "role": str(read.role),
                "action": str(read.action),
                "item": str(read.item),
            }
            for read in found.reads
        ],
        "reads_more": found.reads_more,
    }


# --- what the requests hold ------------------------------------------------------------------


class RightsRequestListQuerySerializer(PageQuerySerializer):
    state = serializers.ChoiceField(choices=RequestState.choices, required=False)
    overdue = serializers.BooleanField(
        required=False, help_text="true: open and past the due date; false: the others."
    )
    kind = serializers.ChoiceField(choices=RequestKind.choices, required=False)


class RightsRequestCreateSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    requester_name = serializers.CharField(max_length=300, allow_blank=True)
    requester_birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    requester_address = serializers.CharField(
        max_length=2000, allow_blank=True, required=False, default=""
    )
    identity_verified = serializers.CharField(
        max_length=2000, allow_blank=True, help_text="How the identity was verified (required)."
    )
    description = serializers.CharField(
        max_length=10000, allow_blank=True, help_text="What is asked (required)."
    )
    received_on = serializers.DateField(help_text="Not in the future; the deadline follows.")
    request_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A key of the client's choosing, new for every request registered: the same "
        "key sent again registers nothing and is answered with 409 naming the request.",
    )


class RightsNoteSerializer(StrictSerializer):
    text = serializers.CharField(max_length=5000, allow_blank=True)


class RightsExtendSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=5000, allow_blank=True, help_text="Why (required); the requester is told."
    )


class RightsSearchSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    bsn = serializers.CharField(max_length=11, allow_blank=True, required=False, default="")
    kvk_number = serializers.CharField(max_length=12, allow_blank=True, required=False, default="")
    postcode = serializers.CharField(max_length=7, allow_blank=True, required=False, default="")
    house_number = serializers.IntegerField(
        min_value=1, max_value=99999, required=False, allow_null=True, default=None
    )
    house_letter = serializers.CharField(max_length=1, allow_blank=True, required=False, default="")
    addition = serializers.CharField(max_length=10, allow_blank=True, required=False, default="")
    license_plate = serializers.CharField(
        max_length=12, allow_blank=True, required=False, default=""
    )


class RightsJudgeSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=HitKind.choices)
    object_id = id_field()


class RightsConfirmSerializer(RightsJudgeSerializer):
    reasons = serializers.ListField(
        child=serializers.CharField(max_length=300),
        max_length=20,
        required=False,
        default=list,
        help_text="Why it was found (as the search gave them).",
    )


class RightsRejectSerializer(RightsJudgeSerializer):
    reason = serializers.CharField(
        max_length=2000, allow_blank=True, required=False, default="", help_text="Why not."
    )


class RightsDecideSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    rationale = serializers.CharField(
        max_length=10000, allow_blank=True, help_text="Required; a refusal names its ground."
    )


# --- the views -------------------------------------------------------------------------------


def _officer(request) -> None:
    if not selectors.may_handle(request.user):
        raise PermissionDenied


def _body(serializer_class, request) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


_DECIDED = problem("The request has been decided: nothing can be added (`request_decided`).")
_NOT_FOUND = problem("No such request (`not_found`).")


def _detail(request, pk: int) -> dict:
    return request_detail_data(selectors.request_get(actor=request.user, pk=pk))


class RequestCollectionView(APIView):
    @extend_schema(
        operation_id="rights_requests_list",
        parameters=[RightsRequestListQuerySerializer],
        responses={200: RightsRequestPageSerializer},
        description="The requests of data subjects, open ones by the nearest due date first "
        "(privacy officer). Reading the list is an audit entry.",
    )
    def get(self, request):
        _officer(request)
        params = query(RightsRequestListQuerySerializer, request)
        requests = selectors.request_list(
            actor=request.user,
            state=params.get("state"),
            overdue=params.get("overdue"),
            kind=params.get("kind"),
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(requests, request, view=self) or []
        return paginator.get_paginated_response([request_data(r) for r in page])

    @extend_schema(
        operation_id="rights_requests_create",
        request=RightsRequestCreateSerializer,
        responses={
            201: RightsRequestDetailSerializer,
            409: problem(
                "This `request_key` registered a request already (`registered_already`, its "
                "reference in the reason); nothing was registered."
            ),
        },
        description="Register a request as received: its reference and deadline (one month "
        "after receipt) follow.",
    )
    def post(self, request):
        _officer(request)
        made = services.request_register(
            actor=request.user, **_body(RightsRequestCreateSerializer, request)
        )
        return Response(_detail(request, made.pk), status=status.HTTP_201_CREATED)


class RequestDetailView(APIView):
    @extend_schema(
        operation_id="rights_requests_retrieve",
        responses={200: RightsRequestDetailSerializer, 404: _NOT_FOUND},
        description="One request with its steps and confirmed items; the read is an audit entry.",
    )
    def get(self, request, pk: int):
        _officer(request)
        return Response(_detail(request, pk))


class RequestNoteView(APIView):
    @extend_schema(
        operation_id="rights_requests_note",
        request=RightsNoteSerializer,
        responses={201: RightsStepSerializer, 404: _NOT_FOUND},
        description="A note in the request's timeline.",
    )
    def post(self, request, pk: int):
        _officer(request)
        data = _body(RightsNoteSerializer, request)
        step = services.request_note(actor=request.user, pk=pk, **data)
        return Response(step_data(step), status=status.HTTP_201_CREATED)


class RequestExtendView(APIView):
    @extend_schema(
        operation_id="rights_requests_extend",
        request=RightsExtendSerializer,
        responses={
            200: RightsRequestDetailSerializer,
            404: _NOT_FOUND,
            409: problem(
                "Extended already (`request_extended_already`), or decided (`request_decided`)."
            ),
        },
        description="Extend the deadline once, by two months, with the reason the requester "
        "is told (AVG art. 12(3)).",
    )
    def post(self, request, pk: int):
        _officer(request)
        services.request_extend(actor=request.user, pk=pk, **_body(RightsExtendSerializer, request))
        return Response(_detail(request, pk))


class RequestSearchView(APIView):
    @extend_schema(
        operation_id="rights_requests_search",
        request=RightsSearchSerializer,
        responses={200: RightsFindingsSerializer, 404: _NOT_FOUND},
        description="Find the requester everywhere: by name (with date of birth), BSN, KvK "
        "number, address (postcode and house number) or licence plate, across every team's "
        "registered subjects, reports (sealed ones too), relations, cases and hand-overs, and "
        "who read them. Nothing is confirmed: each item has its reasons. A POST, so that the "
        "identifiers stay out of addresses and logs; the search is an audit entry and a step "
        "of the request.",
    )
    def post(self, request, pk: int):
        _officer(request)
        criteria = finding.Criteria.of(**_body(RightsSearchSerializer, request))
        found = finding.find(actor=request.user, pk=pk, criteria=criteria)
        return Response(findings_data(found))


class HitConfirmView(APIView):
    @extend_schema(
        operation_id="rights_requests_hits_confirm",
        request=RightsConfirmSerializer,
        responses={200: RightsHitSerializer, 404: _NOT_FOUND, 409: _DECIDED},
        description="Confirm that an item found is about the requester (the officer's "
        "judgement). Confirming it again changes nothing.",
    )
    def post(self, request, pk: int):
        _officer(request)
        data = _body(RightsConfirmSerializer, request)
        hit = services.hit_confirm(actor=request.user, pk=pk, **data)
        return Response(hit_data(hit))


class HitRejectView(APIView):
    @extend_schema(
        operation_id="rights_requests_hits_reject",
        request=RightsRejectSerializer,
        responses={200: RightsStepSerializer, 404: _NOT_FOUND, 409: _DECIDED},
        description="Record that an item found is not about the requester; a confirmation "
        "of it is withdrawn.",
    )
    def post(self, request, pk: int):
        _officer(request)
        data = _body(RightsRejectSerializer, request)
        step = services.hit_reject(actor=request.user, pk=pk, **data)
        return Response(step_data(step))


class RequestDecideView(APIView):
    @extend_schema(
        operation_id="rights_requests_decide",
        request=RightsDecideSerializer,
        responses={200: RightsRequestDetailSerializer, 404: _NOT_FOUND, 409: _DECIDED},
        description="Decide the request: granted, partly granted or refused, with the rationale.",
    )
    def post(self, request, pk: int):
        _officer(request)
        services.request_decide(actor=request.user, pk=pk, **_body(RightsDecideSerializer, request))
        return Response(_detail(request, pk))


urlpatterns: list = [
    # The request register and finding a person (part A).
    path("rights/requests", RequestCollectionView.as_view(), name="rights-requests"),
    path("rights/requests/<int:pk>", RequestDetailView.as_view(), name="rights-request"),
    path("rights/requests/<int:pk>/notes", RequestNoteView.as_view(), name="rights-request-note"),
    path(
        "rights/requests/<int:pk>/extend",
        RequestExtendView.as_view(),
        name="rights-request-extend",
    ),
    path(
        "rights/requests/<int:pk>/search",
        RequestSearchView.as_view(),
        name="rights-request-search",
    ),
    path(
        "rights/requests/<int:pk>/hits/confirm",
        HitConfirmView.as_view(),
        name="rights-request-hit-confirm",
    ),
    path(
        "rights/requests/<int:pk>/hits/reject",
        HitRejectView.as_view(),
        name="rights-request-hit-reject",
    ),
    path(
        "rights/requests/<int:pk>/decision",
        RequestDecideView.as_view(),
        name="rights-request-decide",
    ),
]

# The access overview (inzage) and its document (part B): api/rights_inzage.py.
urlpatterns += inzage_urlpatterns

# Correcting, removing, restricting, and telling the recipients (part C): api/rights_changes.py.
urlpatterns += changes_urlpatterns
