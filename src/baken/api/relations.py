"""Relations between subjects, the network around a subject and its FollowTheMoney export
over the API (issue 5, items 3, 5 and 9).

The same selectors and services as the subject page: 404 for a subject or relation the user
may not see (a relation is seen only when both its ends are), 403 for a role that may not
link, problem+json for every refusal.
"""

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.core.roles import Capability
from baken.reports.permissions import Action
from baken.reports.selectors import report_list
from baken.subjects import ftm
from baken.subjects.models import Relation, Subject
from baken.subjects.network import MAX_DEPTH, network_json, network_of
from baken.subjects.relations import (
    REGISTRY_MAX,
    RelationView,
    relation_add,
    relation_get,
    relation_remove,
    relations_of,
)
from baken.subjects.selectors import subject_get, subject_list

from .query import QuerySerializer, query
from .renderers import NdjsonRenderer
from .strict import StrictSerializer
from .work import refusal, require

_NOT_FOUND = OpenApiResponse(description="No such subject, or not for this user to see.")
_FORBIDDEN = OpenApiResponse(description="This role may not link subjects.")


def _subject(request, pk: int, *, log: bool = True) -> Subject:
    """`log=False` for a network, whose own entry is the read of every subject it shows."""
    if not request.user.is_authenticated:
        raise NotAuthenticated
    if not request.user.can(Capability.WORKSPACE):
        raise NotFound
    subject = subject_get(user=request.user, pk=pk, log=log)
    if subject is None:
        raise NotFound
    return subject


def _relation_data(view: RelationView) -> dict:
    r = view.relation
    return {
        "id": r.pk,
        "kind": r.kind,
        "label": view.label,
        "direction": "outgoing" if view.outgoing else "incoming",
        "source": r.source_id,
        "target": r.target_id,
        "other": {"id": view.other.pk, "name": view.other.name, "kind": view.other.kind},
        "start_date": r.start_date,
        "end_date": r.end_date,
        "source_report": r.source_report_id if view.source_report_visible else None,
        "source_registry": r.source_registry,
        "added_by": str(r.added_by),
        "added_at": r.added_at,
    }


class SubjectRefSerializer(StrictSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(Subject.Kind.choices)


class RelationSerializer(StrictSerializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(Relation.Kind.choices)
    # `label` and `source` are also attributes of a DRF Field; as field names they are fine.
    label = serializers.CharField(help_text="The relation as read from this subject.")  # type: ignore[assignment]
    direction = serializers.ChoiceField(["outgoing", "incoming"])
    source = serializers.IntegerField()  # type: ignore[assignment]
    target = serializers.IntegerField()
    other = SubjectRefSerializer()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    source_report = serializers.IntegerField(
        allow_null=True, help_text="Null also when the user may not see the source report."
    )
    source_registry = serializers.CharField()
    added_by = serializers.CharField()
    added_at = serializers.DateTimeField()


class RelationListSerializer(StrictSerializer):
    results = RelationSerializer(many=True)


class RelationCreateSerializer(StrictSerializer):
    other = serializers.IntegerField(help_text="The id of the other subject.")
    kind = serializers.ChoiceField(Relation.Kind.choices)
    inverse = serializers.BooleanField(
        default=False,
        help_text="False: this subject is the source (this subject owner_of other). "
        "True: the other subject is the source (other owner_of this subject).",
    )
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    source_report = serializers.IntegerField(required=False, allow_null=True, default=None)
    source_registry = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=REGISTRY_MAX
    )


class RelationCollectionView(APIView):
    @extend_schema(
        operation_id="subjects_relations_list",
        responses={200: RelationListSerializer, 404: _NOT_FOUND},
        description="The subject's relations on both ends whose other end the user may see.",
    )
    def get(self, request, pk: int):
        subject = _subject(request, pk)
        views = relations_of(user=request.user, subject=subject)
        return Response(RelationListSerializer({"results": map(_relation_data, views)}).data)

    @extend_schema(
        operation_id="subjects_relations_create",
        request=RelationCreateSerializer,
        responses={
            201: RelationSerializer,
            400: OpenApiResponse(),
            403: _FORBIDDEN,
            404: _NOT_FOUND,
        },
        description="Add a relation: typed, optionally dated, and sourced by a report the user "
        "may see or a registry name (or both).",
    )
    def post(self, request, pk: int):
        subject = _subject(request, pk)
        require(request, Action.LINK)
        body = RelationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        other = subject_list(user=request.user).filter(pk=data["other"]).first()
        if other is None:
            raise refusal({"other": _("Choose a subject you may see.")})
        report = None
        if data["source_report"] is not None:
            report = report_list(user=request.user).filter(pk=data["source_report"]).first()
            if report is None:
                raise refusal({"source_report": _("Choose a report you may see.")})
        source, target = (other, subject) if data["inverse"] else (subject, other)
        relation = relation_add(
            source=source,
            target=target,
            kind=data["kind"],
            actor=request.user,
            start_date=data["start_date"],
            end_date=data["end_date"],
            source_report=report,
            source_registry=data["source_registry"],
        )
        view = RelationView(
            relation=relation,
            other=other,
            outgoing=not data["inverse"],
            source_report_visible=report is not None,
        )
        return Response(
            RelationSerializer(_relation_data(view)).data, status=status.HTTP_201_CREATED
        )


class RelationDetailView(APIView):
    @extend_schema(
        operation_id="relations_destroy",
        request=None,
        responses={204: None, 403: _FORBIDDEN, 404: _NOT_FOUND},
        description="Remove a relation recorded in error or no longer true (logged).",
    )
    def delete(self, request, pk: int):
        if not request.user.can(Capability.WORKSPACE):
            raise NotFound
        relation = relation_get(user=request.user, pk=pk)
        if relation is None:
            raise NotFound
        require(request, Action.LINK)
        relation_remove(relation=relation, actor=request.user)  # removed meanwhile: 404
        return Response(status=status.HTTP_204_NO_CONTENT)


class NodeSerializer(SubjectRefSerializer):
    kind_label = serializers.CharField()


class EdgeSerializer(StrictSerializer):
    id = serializers.IntegerField()
    source = serializers.IntegerField()  # type: ignore[assignment]
    target = serializers.IntegerField()
    kind = serializers.ChoiceField(Relation.Kind.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    inverse_label = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)


class NetworkSerializer(StrictSerializer):
    subject = serializers.IntegerField()
    depth = serializers.IntegerField()
    truncated = serializers.BooleanField(help_text="More subjects than could be shown.")
    nodes = NodeSerializer(many=True)
    edges = EdgeSerializer(many=True)


class DepthQuerySerializer(QuerySerializer):
    depth = serializers.IntegerField(
        min_value=1,
        max_value=MAX_DEPTH,
        required=False,
        default=1,
        help_text=f"Steps out from the subject, 1 to {MAX_DEPTH} (default 1).",
    )


_DEPTH = DepthQuerySerializer


class NetworkView(APIView):
    @extend_schema(
        operation_id="subjects_network",
        parameters=[_DEPTH],
        responses={200: NetworkSerializer, 404: _NOT_FOUND},
        description="The subjects and relations around a subject, `depth` steps out; only "
        "subjects the user may see, and only relations between them.",
    )
    def get(self, request, pk: int):
        subject = _subject(request, pk, log=False)
        depth = query(DepthQuerySerializer, request)["depth"]
        return Response(network_json(network_of(user=request.user, subject=subject, depth=depth)))


class FtmEntitySerializer(StrictSerializer):
    id = serializers.CharField()
    schema = serializers.CharField(help_text="A FollowTheMoney schema, e.g. Person, Ownership.")
    properties = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


FTM_MEDIA_TYPE = "application/x-ndjson"


class FtmView(APIView):
    renderer_classes = [JSONRenderer, NdjsonRenderer]

    @extend_schema(
        operation_id="subjects_ftm",
        parameters=[_DEPTH],
        responses={(200, FTM_MEDIA_TYPE): FtmEntitySerializer, 404: _NOT_FOUND},
        description="The subject's network as FollowTheMoney entities (Person, Company, "
        "Organization, Address, Vehicle; Ownership, Directorship, Family, Associate, "
        "Employment, UnknownLink), validated against the FtM model; only what the user may "
        "see. JSON lines: one entity per line, as `ftm` and Aleph's loaders read them.",
    )
    def get(self, request, pk: int):
        subject = _subject(request, pk, log=False)
        depth = query(DepthQuerySerializer, request)["depth"]
        network = network_of(user=request.user, subject=subject, depth=depth)
        lines = "".join(
            json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n"
            for entity in ftm.entities(network)
        )
        response = HttpResponse(lines, content_type=f"{FTM_MEDIA_TYPE}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="baken-subject-{pk}.ftm.jsonl"'
        return response
