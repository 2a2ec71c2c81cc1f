"""The exports pages (/werkruimte/exports/): the user's own exports, starting one (from a
list page's Export button or here), its progress while the task runs, and the download.
Thin views: parse, call one service or selector, render. Another user's export is a 404; a
file its owner may no longer have (their role or team changed since) is a 403 page saying
why, without the file."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .forms import ExportForm
from .kinds import filter_form, filters_shown, kinds_for
from .models import Export

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _exporter(request) -> None:
    if not request.user.is_authenticated or not kinds_for(request.user):
        raise PermissionDenied


def _export(request, pk) -> Export:
    _exporter(request)
    export = selectors.export_get(user=request.user, pk=pk)
    if export is None:
        raise Http404
    return export


def _list(request, form: ExportForm, *, status: int = 200):
    exports = selectors.export_list(user=request.user)[:50]
    context = {
        "form": form,
        # (export, why its file is no longer given: "" when it is)
        "exports": [(e, services.download_refusal(request.user, e)) for e in exports],
        "retention_days": settings.EXPORT_RETENTION_DAYS,
    }
    return render(request, "exports/list.html", context, status=status)


@require_GET
def export_list(request):
    _exporter(request)
    return _list(request, ExportForm(user=request.user))


@require_POST
def export_create(request):
    _exporter(request)
    form = ExportForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            export = services.export_request(
                user=request.user,
                kind=form.cleaned_data["kind"],
                fmt=form.cleaned_data["format"],
                filters=form.filters(),
                language=get_language() or "nl",
            )
        except services.ExportRefused as refused:
            for field, reasons in refused.errors.items():
                for reason in reasons:
                    form.add_error(field if field in form.fields else None, reason)
            # A filter's problem is the form's own, naming the filter: a filter may have the
            # name of one of this form's fields (the interventions' `kind`).
            shown = filter_form(form.cleaned_data["kind"])
            for name, reasons in refused.filters.items():
                known = shown.fields.get(name) if shown is not None else None
                label = str(known.label) if known is not None and known.label else name
                for reason in reasons:
                    form.add_error(None, _filter_problem(label, reason))
        else:
            return redirect("exports:detail", pk=export.pk)
    return _list(request, form, status=400)


@require_GET
def export_detail(request, pk):
    export = _export(request, pk)
    return render(request, "exports/detail.html", _context(request, export))


@require_GET
def export_progress(request, pk):
    """The progress part of the export page, asked for by htmx every few seconds while the
    export is made; the state is announced (role=status) only when it changed."""
    export = _export(request, pk)
    context = _context(request, export, announce=request.GET.get("bekend") != export.state)
    return render(request, "exports/_progress.html", context)


@require_GET
def export_file(request, pk):
    # Not _export: an owner who may export nothing any more is told why (and it is logged)
    # by export_open, rather than getting the general 403.
    export = selectors.export_get(user=request.user, pk=pk)
    if export is None:
        raise Http404
    try:
        content = services.export_open(user=request.user, export=export)
    except services.DownloadRefused as refused:
        # The owner knows the export: its page says why the file is not given (the general
        # 403 page of RefusalMiddleware would not), as the export's own page does.
        context = _context(request, export) | {"withheld": refused.message}
        return render(request, "exports/detail.html", context, status=refused.status)
    if content is None:
        raise Http404
    response = StreamingHttpResponse(content, content_type=CONTENT_TYPES[export.format])
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    if export.size_bytes is not None:
        response["Content-Length"] = str(export.size_bytes)
    return response


def _filter_problem(name: str, reason: str) -> str:
    return _("Filter “%(name)s”: %(reason)s") % {"name": name, "reason": reason}


def _context(request, export: Export, **extra) -> dict:
    refusal = services.download_refusal(request.user, export)
    return {
        "export": export,
        "failure": services.FAILURES.get(export.failure, ""),
        "withheld": services.WITHHELD[refusal] if refusal else "",
        "filters": filters_shown(export.kind, export.filters),
        **extra,
    }
