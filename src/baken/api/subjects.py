"""Subjects over the API: one subject, the candidates for a subject named in a report, the
judgement of a candidate, a new subject from a named one, merging and unmerging.

The same selectors and services as the report page's panel and the subject page: 404 for a
report or subject the user may not see (the same answer as for one that does not exist),
403 for work the role may not do, problem+json for every refusal.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.core.roles import Capability
from baken.reports.permissions import Action
from baken.subjects import matching, services
from baken.subjects.models import Judgement, Mention, Subject
from baken.subjects.selectors import report_subject_get, subject_get, subject_list

from .strict import StrictSerializer
from .work import require

_NOT_FOUND = OpenApiResponse(description="No such subject, or not for this user to know of.")
_NAMED_NOT_FOUND = OpenApiResponse(
    description="No such named subject, or its report is not for this user to see."
)
_FORBIDDEN = OpenApiResponse(description="This role may not do this.")


def _workspace(request) -> None:
    if not request.user.is_authenticated:
        raise NotAuthenticated
    if not request.user.can(Capability.WORKSPACE):
        raise NotFound


def _subject(request, pk: int) -> Subject:
    _workspace(request)
    subject = subject_get(user=request.user, pk=pk)
    if subject is None:
        raise NotFound
    return subject


def _named(request, pk: int):
    _workspace(request)
    rs = report_subject_get(user=request.user, pk=pk)
    if rs is None:
        raise NotFound
    return rs


def subject_data(subject: Subject) -> dict:
    return {
        "id": subject.pk,
        "kind": subject.kind,
        "name": subject.name,
        "birth_date": subject.birth_date.isoformat() if subject.birth_date else None,
        "bsn": subject.bsn,
        "kvk_number": subject.kvk_number,
        "legal_form": subject.legal_form,
        "trade_names": list(subject.trade_names or []),
        "postcode": subject.postcode,
        "house_number": subject.house_number,
        "house_letter": subject.house_letter,
        "addition": subject.addition,
        "street": subject.street,
        "city": subject.city,
        "lat": subject.lat,
        "lon": subject.lon,
        "license_plate": subject.license_plate,
        "make": subject.make,
        "colour": subject.colour,
        "merged_into": subject.merged_into_id,
    }


class SubjectSerializer(StrictSerializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(Subject.Kind.choices)
    name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    bsn = serializers.CharField(allow_blank=True)
    kvk_number = serializers.CharField(allow_blank=True)
    legal_form = serializers.CharField(allow_blank=True)
    trade_names = serializers.ListField(child=serializers.CharField())
    postcode = serializers.CharField(allow_blank=True)
    house_number = serializers.IntegerField(allow_null=True)
    house_letter = serializers.CharField(allow_blank=True)
    addition = serializers.CharField(allow_blank=True)
    street = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    license_plate = serializers.CharField(allow_blank=True)
    make = serializers.CharField(allow_blank=True)
    colour = serializers.CharField(allow_blank=True)
    merged_into = serializers.IntegerField(allow_null=True)


class SubjectDetailSerializer(SubjectSerializer):
    merged = SubjectSerializer(many=True, help_text="Subjects merged into this one.")


class SubjectDetailView(APIView):
    @extend_schema(
        operation_id="subjects_retrieve",
        responses={200: SubjectDetailSerializer, 404: _NOT_FOUND},
        description="One registered subject, if this user may know of it (it is named in a "
        "report the user may see), with the subjects merged into it. Every read is logged.",
    )
    def get(self, request, pk: int):
        subject = _subject(request, pk)
        merged = [subject_data(s) for s in subject.merged_subjects.all()]
        return Response({**subject_data(subject), "merged": merged})


class MatchReasonSerializer(StrictSerializer):
    code = serializers.CharField(help_text="bsn, kvk, plate, address, name, birth_date, …")
    text = serializers.CharField(help_text="Why, in plain Dutch.")


class SubjectCandidateSerializer(StrictSerializer):
    subject = SubjectSerializer()
    score = serializers.IntegerField(min_value=0, max_value=100)
    reasons = MatchReasonSerializer(many=True)
    judgement = serializers.CharField(allow_blank=True, help_text="'unsure' if judged so.")


class SubjectCandidateListSerializer(StrictSerializer):
    linked = SubjectSerializer(allow_null=True, help_text="The subject judged the same.")
    results = SubjectCandidateSerializer(many=True)


class CandidateListView(APIView):
    @extend_schema(
        operation_id="report_subjects_candidates",
        responses={200: SubjectCandidateListSerializer, 404: _NAMED_NOT_FOUND},
        description="Registered subjects this user may know of that a subject named in a "
        "report may be: exact identifiers (BSN, KvK number, licence plate, postcode and house "
        "number) and similar names, each with a score 0–100 and its reasons in plain Dutch; "
        "at most 10, best first. Pairs judged not the same are never offered again. A "
        "suggestion only: nothing is linked until someone judges it the same.",
    )
    def get(self, request, pk: int):
        rs = _named(request, pk)
        mention = (
            Mention.objects.filter(report_subject=rs, judgement=Judgement.SAME)
            .select_related("subject__merged_into")
            .first()
        )
        if mention is not None:
            linked = mention.subject.merged_into or mention.subject
            # Restricted on a request (itself, or the subject it was merged into): known to
            # nobody.
            if linked.restricted_at is not None or mention.subject.restricted_at is not None:
                return Response({"linked": None, "results": []})
            return Response({"linked": subject_data(linked), "results": []})
        candidates = matching.candidates_for(user=request.user, report_subject=rs)
        return Response(
            {
                "linked": None,
                "results": [
                    {
                        "subject": subject_data(c.subject),
                        "score": c.score,
                        "reasons": [{"code": r.code, "text": r.text} for r in c.reasons],
                        "judgement": c.judgement,
                    }
                    for c in candidates
                ],
            }
        )


class SubjectJudgementSerializer(StrictSerializer):
    subject = serializers.IntegerField(help_text="The id of the registered subject.")
    judgement = serializers.ChoiceField(
        Judgement.choices, help_text="same links; not_same is never offered again."
    )


class JudgementResultSerializer(StrictSerializer):
    report_subject = serializers.IntegerField()
    subject = serializers.IntegerField()
    judgement = serializers.CharField()
    score = serializers.FloatField(allow_null=True)


class JudgementView(APIView):
    @extend_schema(
        operation_id="report_subjects_judgements_create",
        request=SubjectJudgementSerializer,
        responses={
            200: JudgementResultSerializer,
            400: OpenApiResponse(description="Refused; the reasons in invalid_params."),
            403: _FORBIDDEN,
            404: _NAMED_NOT_FOUND,
        },
        description="Judge whether the named subject is this registered subject. A new "
        "judgement of the same pair replaces the earlier one.",
    )
    def post(self, request, pk: int):
        rs = _named(request, pk)
        body = SubjectJudgementSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        subject = subject_list(user=request.user).filter(pk=body.validated_data["subject"]).first()
        if subject is None:
            raise NotFound
        require(request, Action.LINK)
        candidate = matching.score(matching.named(rs), subject)
        mention = services.mention_judge(
            report_subject=rs,
            subject=subject,
            judgement=body.validated_data["judgement"],
            actor=request.user,
            score=candidate.score if candidate else None,
            reasons=[r.text for r in candidate.reasons] if candidate else [],
        )
        return Response(
            {
                "report_subject": rs.pk,
                "subject": subject.pk,
                "judgement": mention.judgement,
                "score": mention.score,
            }
        )


class SubjectCreateView(APIView):
    @extend_schema(
        operation_id="report_subjects_subject_create",
        request=None,
        responses={
            201: SubjectSerializer,
            400: OpenApiResponse(description="Refused; the reasons in invalid_params."),
            403: _FORBIDDEN,
            404: _NAMED_NOT_FOUND,
        },
        description="Register a new subject from what the report names (identifiers "
        "normalised), linked to the named subject as the same.",
    )
    def post(self, request, pk: int):
        rs = _named(request, pk)
        require(request, Action.LINK)
        subject = services.subject_create_from(report_subject=rs, actor=request.user)
        return Response(subject_data(subject), status=status.HTTP_201_CREATED)


class SubjectMergeSerializer(StrictSerializer):
    merge = serializers.IntegerField(help_text="The id of the subject merged into this one.")
    reason = serializers.CharField(max_length=services.REASON_MAX)


class SubjectUnmergeSerializer(StrictSerializer):
    merged = serializers.IntegerField(help_text="The id of a subject merged into this one.")
    reason = serializers.CharField(max_length=services.REASON_MAX)


class MergeView(APIView):
    @extend_schema(
        operation_id="subjects_merge",
        request=SubjectMergeSerializer,
        responses={
            200: SubjectDetailSerializer,
            400: OpenApiResponse(description="Refused; the reasons in invalid_params."),
            403: _FORBIDDEN,
            404: _NOT_FOUND,
        },
        description="Merge subject `merge` into this one. Both rows are kept and the merged "
        "one's mentions stay its own, so unmerge restores it exactly. Both must be visible.",
    )
    def post(self, request, pk: int):
        keep = _subject(request, pk)
        body = SubjectMergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        other = _subject(request, body.validated_data["merge"])
        require(request, Action.MERGE)
        services.subject_merge(
            keep=keep, merge=other, actor=request.user, reason=body.validated_data["reason"]
        )
        merged = [subject_data(s) for s in keep.merged_subjects.all()]
        return Response({**subject_data(keep), "merged": merged})


class UnmergeView(APIView):
    @extend_schema(
        operation_id="subjects_unmerge",
        request=SubjectUnmergeSerializer,
        responses={
            200: SubjectSerializer,
            400: OpenApiResponse(description="Refused; the reasons in invalid_params."),
            403: _FORBIDDEN,
            404: _NOT_FOUND,
        },
        description="Undo the merge of subject `merged` into this one: it is a subject of its "
        "own again, with exactly its own mentions. Answers with that subject.",
    )
    def post(self, request, pk: int):
        keep = _subject(request, pk)
        body = SubjectUnmergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        merged = keep.merged_subjects.filter(pk=body.validated_data["merged"]).first()
        if merged is None:
            raise NotFound
        require(request, Action.MERGE)
        restored = services.subject_unmerge(
            keep=keep, merged=merged, actor=request.user, reason=body.validated_data["reason"]
        )
        return Response(subject_data(restored))
