"""The access overview's pages (`/verzoeken/<id>/inzage`, issue 16): the draft with a decision
per item, the draft PDF (marked CONCEPT), making the overview to send, downloading it and
recording how it was sent. The privacy officer's only (Capability.RIGHTS); the rules and the
audit entries are rights/disclosure.py's."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baken.accounts.decorators import capability_required
from baken.core.refusals import Refused
from baken.core.roles import Capability

from . import disclosure
from .inzage import file_name, overview_pdf
from .inzage_forms import DisclosureForm, SentForm
from .models import Disclosure


def _page(request, pk: int, *, status: int = 200, forms: dict | None = None):
    overview = disclosure.overview_read(actor=request.user, pk=pk)
    forms = forms or {}
    for item in overview.items:
        item.form = forms.get(("hit", item.hit.pk)) or DisclosureForm.for_hit(item.hit)  # type: ignore[attr-defined]
    documents = disclosure.documents_of(actor=request.user, pk=pk)
    for document in documents:
        document.form = forms.get(("document", document.pk)) or SentForm.for_document(  # type: ignore[attr-defined]
            document.pk
        )
    context = {
        "overview": overview,
        "request_obj": overview.request,
        "documents": documents,
        "disclosed": sum(1 for i in overview.items if i.hit.disclosure == Disclosure.DISCLOSE),
        "withheld": sum(1 for i in overview.items if i.hit.disclosure == Disclosure.WITHHOLD),
        "make_refused": forms.get("make"),
    }
    return render(request, "rights/inzage.html", context, status=status)


@capability_required(Capability.RIGHTS)
def inzage(request, pk: int):
    return _page(request, pk)


@capability_required(Capability.RIGHTS)
def inzage_pdf(request, pk: int):
    overview = disclosure.overview_read(actor=request.user, pk=pk, pdf=True)
    response = HttpResponse(overview_pdf(overview), content_type="application/pdf")
    name = file_name(overview.request, final=False)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _back(pk: int, anchor: str = ""):
    return redirect(reverse("rights:inzage", args=[pk]) + (f"#{anchor}" if anchor else ""))


def _refusal_at(form, refused: Refused) -> None:
    refused.messages_for_form()
    for field, message in refused.problems.items():
        form.add_error(field if field in form.fields else None, str(message))


@require_POST
@capability_required(Capability.RIGHTS)
def inzage_decide(request, pk: int, hit_pk: int):
    form = DisclosureForm(request.POST, prefix=f"hit-{hit_pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            disclosure.disclosure_decide(
                actor=request.user,
                pk=pk,
                hit_id=hit_pk,
                disclosure=data["disclosure"],
                ground=data["ground"],
                note=data["note"],
            )
        except Refused as refused:
            _refusal_at(form, refused)
        else:
            messages.success(request, _("The decision is saved."))
            return _back(pk, f"item-{hit_pk}")
    return _page(request, pk, status=400, forms={("hit", hit_pk): form})


@require_POST
@capability_required(Capability.RIGHTS)
def inzage_document(request, pk: int):
    try:
        made = disclosure.document_make_once(actor=request.user, pk=pk)
    except Refused as refused:
        shown = refused.messages_for_form()
        return _page(request, pk, status=refused.status, forms={"make": shown})
    if made.new:
        messages.success(
            request,
            _("The overview %(name)s is made and stored encrypted with the request.")
            % {"name": made.document.file_name},
        )
    else:
        messages.info(
            request,
            _(
                "The overview %(name)s was made already with these decisions; it is not made "
                "twice. Change a decision to make a new one."
            )
            % {"name": made.document.file_name},
        )
    return _back(pk, "documents")


@capability_required(Capability.RIGHTS)
def inzage_download(request, pk: int, document_pk: int):
    opened = disclosure.document_open(actor=request.user, pk=pk, document_id=document_pk)
    response = HttpResponse(opened.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{opened.document.file_name}"'
    return response


@require_POST
@capability_required(Capability.RIGHTS)
def inzage_sent(request, pk: int, document_pk: int):
    form = SentForm.for_document(document_pk, request.POST)
    if form.is_valid():
        try:
            disclosure.document_sent(
                actor=request.user, pk=pk, document_id=document_pk, how=form.cleaned_data["how"]
            )
        except Refused as refused:
            _refusal_at(form, refused)
        else:
            messages.success(request, _("The sending is recorded."))
            return _back(pk, "documents")
    return _page(request, pk, status=400, forms={("document", document_pk): form})
