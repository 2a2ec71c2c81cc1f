"""The access overview (inzage, AVG art. 15) of a request over the API (issue 16), through the
page's own modules (baken.rights.disclosure, baken.rights.inzage), so the rules, refusals and
audit entries are the page's:

- `rights/requests/{id}/overview`: the draft — per confirmed item what is held, where it came
  from, what for, to whom it went, how long it is kept, and what is decided for it; as PDF
  (`overview.pdf`, marked CONCEPT);
- `rights/requests/{id}/hits/{hit_id}/disclosure`: disclose or withhold an item (withholding
  names its ground, UAVG art. 41);
- `rights/requests/{id}/documents`: the overviews made, and making one (the disclosed items
  only; refused while an item is undecided); `documents/{document_id}`: its PDF, decrypted;
  `documents/{document_id}/sent`: how and when it was sent.

Privacy officer only (Capability.RIGHTS): any other role gets 403 before its body is read.
Dates are ISO 8601.
"""

from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.core.problems import problem
from baken.rights import disclosure
from baken.rights.inzage import WITHHELD_SENTENCE, Item, Overview, file_name, overview_pdf
from baken.rights.inzage_forms import CHOICES as DECISIONS
from baken.rights.models import Disclosure, Document, Ground, Hit, HitKind
from baken.rights.selectors import may_handle

from .renderers import PdfRenderer
from .strict import StrictSerializer

# --- what the answers hold -------------------------------------------------------------------


class RowSerializer(StrictSerializer):
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.CharField()


class RecipientSerializer(StrictSerializer):
    who = serializers.CharField(help_text="The recipient and its kind, in words.")
    on = serializers.DateField(allow_null=True)
    basis = serializers.CharField(
        allow_blank=True, help_text="The legal basis of a hand-over, or the decision."
    )
    left_out = serializers.CharField(
        allow_blank=True,
        help_text="Why the overview that goes out leaves this recipient out (a hand-over that "
        "is withheld, of a withheld case or not confirmed); empty when it is named.",
    )


class KeepingSerializer(StrictSerializer):
    rule = serializers.CharField(help_text="The retention rule in force, in words.")
    until = serializers.DateField(
        allow_null=True, help_text="The date that follows from it, where it is known."
    )
    source = serializers.CharField(allow_blank=True, help_text="The rule's legal source.")  # type: ignore[assignment]


class ItemSerializer(StrictSerializer):
    hit = serializers.IntegerField(help_text="The confirmed item's id (for the disclosure).")
    kind = serializers.ChoiceField(choices=HitKind.choices)
    object_id = serializers.IntegerField()
    title = serializers.CharField()
    exists = serializers.BooleanField(help_text="False: destroyed since it was confirmed.")
    held = RowSerializer(many=True, help_text="What is held about the requester.")
    passages = serializers.ListField(
        child=serializers.CharField(),
        help_text="A report's sentences about the requester; every other name, address, "
        "postcode, house number, plate, contact detail and number but a date or time replaced "
        "by [...].",
    )
    source = serializers.CharField(allow_blank=True, help_text="Where it came from.")  # type: ignore[assignment]
    purpose = serializers.CharField(allow_blank=True)
    recipients = RecipientSerializer(many=True)
    keeping = KeepingSerializer(allow_null=True)
    disclosure = serializers.ChoiceField(choices=Disclosure.choices, allow_blank=True)
    ground = serializers.ChoiceField(choices=Ground.choices, allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    left_out = serializers.CharField(
        allow_blank=True,
        help_text="Why the overview that goes out leaves this item out although it is "
        "disclosed (a hand-over of a withheld case); empty otherwise.",
    )


class OverviewSerializer(StrictSerializer):
    request = serializers.IntegerField()
    reference = serializers.CharField()
    undecided = serializers.IntegerField(help_text="Items not yet disclosed or withheld.")
    items = ItemSerializer(many=True)
    withheld_sentence = serializers.CharField(
        help_text="The sentence every overview sent holds, whether or not anything is withheld."
    )


class HitDisclosureSerializer(StrictSerializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=HitKind.choices)
    object_id = serializers.IntegerField()
    disclosure = serializers.ChoiceField(choices=Disclosure.choices, allow_blank=True)
    ground = serializers.ChoiceField(choices=Ground.choices, allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class DocumentSerializer(StrictSerializer):
    id = serializers.IntegerField()
    file_name = serializers.CharField()
    sha256 = serializers.CharField(help_text="SHA-256 of the PDF (its plain bytes).")
    made_by = serializers.CharField()
    made_at = serializers.DateTimeField()
    sent_how = serializers.CharField(allow_blank=True)
    sent_by = serializers.CharField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)


def _moment(value):
    return value.isoformat() if value is not None else None


def item_data(item: Item) -> dict:
    keeping = item.keeping
    return {
        "hit": item.hit.pk,
        "kind": item.hit.kind,
        "object_id": item.hit.object_id,
        "title": item.title,
        "exists": item.exists,
        "held": [{"label": row.label, "value": row.value} for row in item.held],
        "passages": [passage.text for passage in item.passages],
        "source": item.source,
        "purpose": item.purpose,
        "recipients": [
            {"who": r.who, "on": _moment(r.on), "basis": r.basis, "left_out": r.left_out}
            for r in item.recipients
        ],
        "keeping": {"rule": keeping.rule, "until": _moment(keeping.until), "source": keeping.source}
        if keeping
        else None,
        "disclosure": item.hit.disclosure,
        "ground": item.hit.ground,
        "note": item.hit.disclosure_note,
        "left_out": item.left_out,
    }


def overview_data(overview: Overview) -> dict:
    return {
        "request": overview.request.pk,
        "reference": overview.request.reference,
        "undecided": overview.undecided,
        "items": [item_data(item) for item in overview.items],
        "withheld_sentence": gettext(WITHHELD_SENTENCE),
    }


def hit_disclosure_data(hit: Hit) -> dict:
    return {
        "id": hit.pk,
        "kind": hit.kind,
        "object_id": hit.object_id,
        "disclosure": hit.disclosure,
        "ground": hit.ground,
        "note": hit.disclosure_note,
        "decided_by": str(hit.disclosure_by) if hit.disclosure_by else None,
        "decided_at": _moment(hit.disclosure_at),
    }


def document_data(document: Document) -> dict:
    return {
        "id": document.pk,
        "file_name": document.file_name,
        "sha256": document.sha256,
        "made_by": str(document.made_by),
        "made_at": document.made_at.isoformat(),
        "sent_how": document.sent_how,
        "sent_by": str(document.sent_by) if document.sent_by else None,
        "sent_at": _moment(document.sent_at),
    }


# --- what the requests hold --------------------------------------------------------------------


class DisclosureRequestSerializer(StrictSerializer):
    disclosure = serializers.ChoiceField(
        choices=DECISIONS,
        help_text="`disclose` or `withhold`.",
    )
    ground = serializers.ChoiceField(
        choices=Ground.choices,
        allow_blank=True,
        required=False,
        default="",
        help_text="Required to withhold (UAVG art. 41); ignored when disclosed.",
    )
    note = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        required=False,
        default="",
        help_text="For the file, not for the requester.",
    )


class SentRequestSerializer(StrictSerializer):
    how = serializers.CharField(
        max_length=200,
        allow_blank=True,
        help_text="How it was sent (required): 'by registered post to the home address'.",
    )


# --- the views ---------------------------------------------------------------------------------


def _officer(request) -> None:
    if not may_handle(request.user):
        raise PermissionDenied


def _body(serializer_class, request) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


_NOT_FOUND = problem("No such request, item or document (`not_found`).")
_NOT_ACCESS = problem(
    "Only a request for access has an overview (`not_an_access_request`); or the request has "
    "been decided (`request_decided`)."
)
_PDF = OpenApiResponse(OpenApiTypes.BINARY, description="A PDF.")


class OverviewView(APIView):
    @extend_schema(
        operation_id="rights_requests_overview",
        responses={200: OverviewSerializer, 404: _NOT_FOUND, 409: _NOT_ACCESS},
        description="The draft access overview of a request for access: per confirmed item "
        "what is held about the requester, where it came from (the channel, never the "
        "reporter), what for, to whom it was given and how long it is kept, with what is "
        "decided for it. The read is an audit entry (`rights.overview_read`).",
    )
    def get(self, request, pk: int):
        _officer(request)
        return Response(overview_data(disclosure.overview_read(actor=request.user, pk=pk)))


class OverviewPdfView(APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="rights_requests_overview_pdf",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The draft overview (PDF, marked CONCEPT)."
            ),
            404: _NOT_FOUND,
            409: _NOT_ACCESS,
        },
        description="The draft access overview as PDF, marked CONCEPT, every item with its "
        "decision; the read is an audit entry.",
    )
    def get(self, request, pk: int):
        _officer(request)
        overview = disclosure.overview_read(actor=request.user, pk=pk, pdf=True)
        response = HttpResponse(overview_pdf(overview), content_type="application/pdf")
        name = file_name(overview.request, final=False)
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


class DisclosureView(APIView):
    @extend_schema(
        operation_id="rights_requests_hits_disclosure",
        request=DisclosureRequestSerializer,
        responses={200: HitDisclosureSerializer, 404: _NOT_FOUND, 409: _NOT_ACCESS},
        description="Disclose or withhold one confirmed item; withholding names its ground "
        "(UAVG art. 41: 400 at `ground` without one). Decided again, the last decision counts.",
    )
    def post(self, request, pk: int, hit_id: int):
        _officer(request)
        data = _body(DisclosureRequestSerializer, request)
        hit = disclosure.disclosure_decide(actor=request.user, pk=pk, hit_id=hit_id, **data)
        return Response(hit_disclosure_data(hit))


class DocumentCollectionView(APIView):
    @extend_schema(
        operation_id="rights_requests_documents_list",
        responses={200: DocumentSerializer(many=True), 404: _NOT_FOUND},
        description="The access overviews made for a request, newest first (without content).",
    )
    def get(self, request, pk: int):
        _officer(request)
        documents = disclosure.documents_of(actor=request.user, pk=pk)
        return Response([document_data(d) for d in documents])

    @extend_schema(
        operation_id="rights_requests_documents_make",
        request=None,
        responses={
            201: DocumentSerializer,
            200: OpenApiResponse(
                DocumentSerializer,
                description="Made already with these decisions (nothing confirmed, rejected, "
                "decided or changed since): the same document, not made twice.",
            ),
            404: _NOT_FOUND,
            409: problem(
                "An item is not yet disclosed or withheld (`disclosure_undecided`), or the "
                "request is no request for access (`not_an_access_request`)."
            ),
        },
        description="Make the overview to send: a PDF of the disclosed items only, with the "
        "sentence that data may be withheld (always there), stored encrypted with the request "
        "with its SHA-256. Sent again with nothing changed since (a double click, a retry), "
        "it answers the document made then (200).",
    )
    def post(self, request, pk: int):
        _officer(request)
        made = disclosure.document_make_once(actor=request.user, pk=pk)
        answer = status.HTTP_201_CREATED if made.new else status.HTTP_200_OK
        return Response(document_data(made.document), status=answer)


class DocumentView(APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="rights_requests_documents_download",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The overview as made (PDF)."
            ),
            404: _NOT_FOUND,
            409: problem("The stored document does not match its SHA-256 (`document_changed`)."),
        },
        description="A made overview, decrypted; the read is an audit entry "
        "(`rights.document_read`).",
    )
    def get(self, request, pk: int, document_id: int):
        _officer(request)
        opened = disclosure.document_open(actor=request.user, pk=pk, document_id=document_id)
        response = HttpResponse(opened.content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{opened.document.file_name}"'
        return response


class DocumentSentView(APIView):
    @extend_schema(
        operation_id="rights_requests_documents_sent",
        request=SentRequestSerializer,
        responses={
            200: DocumentSerializer,
            404: _NOT_FOUND,
            409: problem("Its sending was recorded already (`document_sent_already`)."),
        },
        description="Record how and when a made overview was sent to the requester (once).",
    )
    def post(self, request, pk: int, document_id: int):
        _officer(request)
        data = _body(SentRequestSerializer, request)
        document = disclosure.document_sent(
            actor=request.user, pk=pk, document_id=document_id, how=data["how"]
        )
        return Response(document_data(document))


urlpatterns: list = [
    path(
        "rights/requests/<int:pk>/overview", OverviewView.as_view(), name="rights-request-overview"
    ),
    path(
        "rights/requests/<int:pk>/overview.pdf",
        OverviewPdfView.as_view(),
        name="rights-request-overview-pdf",
    ),
    path(
        "rights/requests/<int:pk>/hits/<int:hit_id>/disclosure",
        DisclosureView.as_view(),
        name="rights-request-hit-disclosure",
    ),
    path(
        "rights/requests/<int:pk>/documents",
        DocumentCollectionView.as_view(),
        name="rights-request-documents",
    ),
    path(
        "rights/requests/<int:pk>/documents/<int:document_id>",
        DocumentView.as_view(),
        name="rights-request-document",
    ),
    path(
        "rights/requests/<int:pk>/documents/<int:document_id>/sent",
        DocumentSentView.as_view(),
        name="rights-request-document-sent",
    ),
]
