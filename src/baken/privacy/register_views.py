"""The registers' pages (issue 16): *Verstrekkingen*, the sharing register with its CSV, for
the privacy officer; *Verwerkingsregister*, the processing-register entry as a page and a PDF,
for the privacy officer and the functional administrator."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from baken.accounts.decorators import capability_required
from baken.core.roles import Capability

from . import processing_register as processing
from . import sharing_csv
from .register_forms import SharingSearchForm
from .sharing_register import export_rows, record_read, register_rows, rows_of

PAGE_SIZE = 50
FILTER_FIELDS = ("since", "until", "recipient_kind", "recipient", "team", "about")


def _form(request) -> SharingSearchForm:
    bound = any(request.GET.get(name) for name in FILTER_FIELDS)
    return SharingSearchForm(request.GET if bound else None)


def _refused(request, form: SharingSearchForm):
    """The page with the filter's problems at their fields and what was typed (400)."""
    context: dict[str, object] = {"form": form, "page": None, "rows": []}
    return render(request, "privacy/registers/sharing.html", context, status=400)


def _about(request, form: SharingSearchForm) -> list[tuple]:
    """The subjects *about whom* found, each with the query that narrows to that one alone
    (when more than one was found)."""
    shown = []
    for subject in form.subjects:
        link = ""
        if len(form.subjects) > 1:
            query = request.GET.copy()
            query.pop("page", None)
            query["about"] = f"#{subject.pk}"
            link = query.urlencode()
        shown.append((subject, link))
    return shown


@capability_required(Capability.AUDIT)
def sharing(request):
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return _refused(request, form)
    filters = form.filters()
    page = Paginator(register_rows(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = rows_of(page.object_list)
    record_read(actor=request.user, filters=filters, rows=rows, via="page")
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, object] = {
        "form": form,
        "page": page,
        "rows": rows,
        "about": _about(request, form),
        "query": query.urlencode(),
        "limit": sharing_csv.LIMIT,
    }
    return render(request, "privacy/registers/sharing.html", context)


@capability_required(Capability.AUDIT)
def sharing_csv_download(request):
    """The current filter as CSV; a filter with errors shows the page with its errors."""
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return _refused(request, form)
    # The download's audit entry is written here, before the first line is streamed.
    rows = export_rows(actor=request.user, filters=form.filters(), limit=sharing_csv.LIMIT)
    response = StreamingHttpResponse(
        sharing_csv.csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{sharing_csv.file_name()}"'
    return response


def _processing(request, via: str) -> processing.ProcessingRegister:
    register = processing.processing_register(actor=request.user, via=via)
    if register is None:
        raise PermissionDenied
    return register


def processing_page(request):
    register = _processing(request, "page")
    return render(request, "privacy/registers/processing.html", {"register": register})


def processing_pdf(request):
    register = _processing(request, "pdf")
    response = HttpResponse(processing.register_pdf(register), content_type="application/pdf")
    name = processing.register_file_name(register)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
