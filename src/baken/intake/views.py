"""The Meldpunt's pages: /melden (report) and /melden/opvolgen (follow-up). No login."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from baken.api.ratelimits import is_limited

from . import selectors, services, webform
from .attachments import AttachmentRefused
from .validation import ReportInvalid, check_report

FIELD_ERRORS = "field_errors"


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _upload_photos(request, errors: dict) -> list[str]:
    ids = []
    for upload in request.FILES.getlist("photos"):
        try:
            ids.append(
                str(services.attachment_upload(data=upload.read(), name="", actor=request.user).id)
            )
        except AttachmentRefused as refused:
            errors.setdefault("photos", []).append(refused.reason)
    return ids


def _form_context(request, errors=None) -> dict:
    return {
        "categories": selectors.catalogue(),
        "values": request.POST if request.method == "POST" else {},
        "errors": errors or {},
        "tile_url": settings.MAP_TILE_URL,
        "map_center": settings.MAP_CENTER,
    }


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def report_form(request):
    if request.method == "GET":
        return render(request, "intake/report_form.html", _form_context(request))
    if is_limited(request, "reports"):
        if _wants_json(request):
            return rate_limited(request)
        # Shown on the form itself, with everything the reporter typed still in it.
        context = _form_context(request)
        context["limit_message"] = _limit_message()
        return render(request, "intake/report_form.html", context, status=429)
    errors: dict[str, list[str]] = {}
    attachment_ids = _upload_photos(request, errors)
    payload = webform.payload_from_post(request.POST, attachment_ids)
    try:
        checked = check_report(payload)
    except ReportInvalid as invalid:
        for param in invalid.errors:
            field = webform.field_for(param["name"], request.POST)
            errors.setdefault(field, []).append(param["reason"])
    if errors:
        if _wants_json(request):
            return JsonResponse({FIELD_ERRORS: errors}, status=400)
        return render(
            request, "intake/report_form.html", _form_context(request, errors), status=400
        )
    submitted = services.report_submit(checked=checked, actor=request.user)
    result = {
        "reference": submitted.report.reference,
        "receipt_code": submitted.receipt_code,
        "anonymous": submitted.report.is_anonymous,
    }
    if _wants_json(request):
        return JsonResponse(result, status=201 if submitted.created else 200)
    return render(request, "intake/report_done.html", result, status=201)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def followup(request):
    """The code is typed into a form and posted: never part of a URL."""
    context: dict = {"code": ""}
    if request.method == "POST":
        if is_limited(request, "followup"):
            return rate_limited(request)
        code = request.POST.get("receipt_code", "").strip()
        context["code"] = code
        report = services.report_for_receipt(code=code) if code else None
        if report is None:
            context["error"] = _(
                "No report belongs to this receipt code. Check the code and try again."
            )
        else:
            text = request.POST.get("text", "").strip()
            if request.POST.get("action") == "send":
                if not text:
                    context["message_error"] = _("Write your message before sending it.")
                elif len(text) > 5000:
                    context["message_error"] = _("Use at most 5000 characters.")
                    context["text"] = text
                else:
                    services.followup_message_add(report=report, text=text, actor=request.user)
                    context["sent"] = True
            if "message_error" in context:
                context["text"] = text
            context["view"] = selectors.public_view(report=report)
    return render(request, "intake/followup.html", context)


def _limit_message() -> str:
    return _("Too many attempts from you or from everyone at once. Wait a while and try again.")


@login_not_required
def rate_limited(request, exception=None):
    message = _limit_message()
    if request.path.startswith("/api/") or _wants_json(request):
        from baken.api.problems import problem_response

        return problem_response(request, status=429, title=message)
    return render(request, "intake/rate_limited.html", {"message": message}, status=429)


@login_not_required
@require_GET
def service_worker(request):
    """Served from /melden/ so that its scope covers the reporting pages."""
    script = render(
        request,
        "intake/sw.js",
        {"assets": [static(p) for p in _OFFLINE_ASSETS]},
        content_type="application/javascript",
    )
    script["Service-Worker-Allowed"] = "/melden"
    script["Cache-Control"] = "no-cache"
    return script


@login_not_required
@require_GET
def manifest(request):
    return render(request, "intake/manifest.webmanifest", content_type="application/manifest+json")


_OFFLINE_ASSETS = [
    "baken/css/baken.css",
    "intake/melden.js",
    "intake/melden.css",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "baken/img/baken.svg",
]
