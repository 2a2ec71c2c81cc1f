"""The Meldpunt's pages: /melden (report) and /melden/opvolgen (follow-up). No login."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from baken.core.input_guard import form_checks_text
from baken.core.problems import problem_response
from baken.core.ratelimits import is_limited
from baken.core.roles import Capability
from baken.places.addresses import address_lookup
from baken.reports.attachments import AttachmentRefused, attachment_upload, refuse_if_too_large
from baken.reports.models import PUBLIC_CHANNELS, Attachment, Channel
from baken.reports.validation import ReportInvalid, check_report

from . import selectors, services, webform

FIELD_ERRORS = "field_errors"


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _public_actor(request):
    """Who the audit log names: nobody for the public Meldpunt, the staff member for a report
    they register from a phone call or e-mail (a staff channel)."""
    channel = request.POST.get("channel") or Channel.WEB
    if channel not in PUBLIC_CHANNELS and request.user.is_authenticated:
        return request.user
    return AnonymousUser()


def _upload_photos(request, errors: dict, room: int | None = None) -> list[str]:
    """Clean and store the posted photos (attachment_upload); `room` is how many more files
    the report may get (the follow-up page adds them to a report that has some)."""
    uploads = request.FILES.getlist("photos")
    if not uploads:
        return []
    if len(uploads) > (settings.ATTACHMENTS_PER_REPORT if room is None else room):
        message = _("At most %(count)s files per report.") % {
            "count": settings.ATTACHMENTS_PER_REPORT
        }
        errors.setdefault("photos", []).append(message)
        return []
    if is_limited(request, "attachments"):
        errors.setdefault("photos", []).append(_limit_message())
        return []
    ids = []
    for upload in uploads:
        try:
            refuse_if_too_large(upload.size)
            attachment = attachment_upload(
                data=upload.read(), name="", actor=_public_actor(request)
            )
        except AttachmentRefused as refused:
            errors.setdefault("photos", []).extend(refused.messages_for_form())
        else:
            ids.append(str(attachment.id))
    return ids


def _ticked_signs(request, errors: dict) -> tuple[set[int], set[str]]:
    """The sign ids ticked, and the categories whose signs stay open (ticked or refused)."""
    ticked = set()
    open_signs = {name.removeprefix("sign-") for name in errors if name.startswith("sign-")}
    for name in request.POST if request.method == "POST" else ():
        if name.startswith("sign-") and (values := request.POST.getlist(name)):
            open_signs.add(name.removeprefix("sign-"))
            ticked |= {int(value) for value in values if webform.is_id(value)}
    return ticked, open_signs


def _form_context(request, errors=None) -> dict:
    errors = errors or {}
    ticked_signs, open_signs = _ticked_signs(request, errors)
    return {
        "categories": selectors.catalogue(),
        "departments": selectors.departments(),
        "ticked_signs": ticked_signs,
        "open_signs": open_signs,
        "values": request.POST if request.method == "POST" else {},
        "errors": errors,
        # For the error summary: each problem linked to its field (intake/_field.html's ids).
        "problems": [(f"f-{name}", m) for name, messages in errors.items() for m in messages],
        "tile_url": settings.MAP_TILE_URL,
        "map_center": settings.MAP_CENTER,
        "staff_channels": (
            [c for c in Channel.choices if c[0] != Channel.APP]
            if request.user.is_authenticated and request.user.can(Capability.WORKSPACE)
            else []
        ),
    }


@login_not_required
@form_checks_text  # check_report refuses a NUL at its field (reports.validation)
@never_cache
@require_http_methods(["GET", "POST"])
def report_form(request):
    if request.method == "GET":
        return render(request, "intake/report_form.html", _form_context(request))
    if request.POST.get("lookup") == "address":
        return _address_looked_up(request)
    if is_limited(request, "reports"):
        if _wants_json(request):
            return rate_limited(request)
        # Shown on the form itself, with everything the reporter typed still in it.
        context = _form_context(request)
        context["limit_message"] = _limit_message()
        return render(request, "intake/report_form.html", context, status=429)
    try:
        # A resend of a report that arrived the first time: answer as then, store nothing.
        replayed = services.report_replay(
            payload=webform.payload_from_post(request.POST, []), actor=request.user
        )
        if replayed is not None:
            return _submitted(request, replayed)
        checked, errors = _checked(request)
        if errors:
            return _refused(request, errors, status=400)
        return _submitted(request, services.report_submit(checked=checked, actor=request.user))
    # Refused by the service: the page says so in its own words, at its own field.
    except services.ChannelNotAllowed as refused:
        return _refused(request, {"channel": [_channel_refused()]}, status=refused.status)
    except services.IdempotencyConflict as refused:
        return _refused(request, {"description": [_conflict()]}, status=refused.status)


def _address_looked_up(request):
    """Without JavaScript, the "Look up address" button: street and town from the local
    address register, filled into the form shown again with everything typed kept (with
    JavaScript the page asks the API's lookup as the reporter types)."""
    # The same register and rule as the API's lookup (api/intake.py AddressLookupView).
    values = request.POST.copy()
    postcode = values.get("location_postcode", "").strip()
    number = values.get("location_house_number", "").strip()
    readable = number.isascii() and number.isdigit() and len(number) <= 5
    found = address_lookup(postcode=postcode, house_number=int(number)) if readable else []
    context = _form_context(request)
    if found:
        address = found[0]
        values["location_street"], values["location_city"] = address.street, address.city
        context["address_status"] = _("Found in the address register: %(address)s.") % {
            "address": f"{address.street} {address.house_number}, {address.city}"
        }
    else:
        context["address_status"] = _(
            "This address is not in the address register. Fill in the street and town yourself."
        )
    context["values"] = values
    return render(request, "intake/report_form.html", context)


def _checked(request) -> tuple:
    """The posted form as a checked report, or the problems per form field."""
    errors: dict[str, list[str]] = {}
    attachment_ids = _upload_photos(request, errors)
    errors.update(webform.stray_signs(request.POST))
    try:
        checked = check_report(webform.payload_from_post(request.POST, attachment_ids))
    except ReportInvalid as invalid:
        for param in invalid.errors:
            field = webform.field_for(param["name"], request.POST)
            errors.setdefault(field, []).append(param["reason"])
        return None, errors
    return checked, errors


def _channel_refused() -> str:
    return _("You may not register reports for this channel.")


def _conflict() -> str:
    # Only a tampered or damaged copy on the device reuses a key with other content.
    return _("This report was already sent with different content.")


def _submitted(request, submitted: services.Submitted):
    result = {
        "reference": submitted.report.reference,
        "receipt_code": submitted.receipt_code,
        "anonymous": submitted.report.is_anonymous,
    }
    response = (
        JsonResponse(result, status=201)
        if _wants_json(request)
        else render(request, "intake/report_done.html", result, status=201)
    )
    if not submitted.created:
        response["Idempotent-Replayed"] = "true"
    return response


def _refused(request, errors: dict, *, status: int):
    """The form again with every problem named and everything typed kept (or JSON for the
    page's script, which shows the same messages in place)."""
    if _wants_json(request):
        return JsonResponse({FIELD_ERRORS: errors}, status=status)
    return render(request, "intake/report_form.html", _form_context(request, errors), status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def followup(request):
    """The code is typed into a form and posted: never part of a URL."""
    context: dict = {"code": "", "problems": []}
    if request.method == "POST":
        if is_limited(request, "followup"):
            return rate_limited(request)
        code = request.POST.get("receipt_code", "").strip()
        context["code"] = code
        report = services.report_for_receipt(code=code) if code else None
        if report is None and code and services.receipt_closed(code=code):
            context["closed"] = True
        elif report is None:
            context["error"] = _(
                "No report belongs to this receipt code. Check the code and try again."
            )
            context["problems"] = [("receipt_code", context["error"])]
        else:
            if request.POST.get("action") == "send":
                report = _followup_send(request, report, context)
            context["view"] = selectors.public_view(report=report)
    return render(request, "intake/followup.html", context)


def _followup_send(request, report, context: dict):
    """The reporter's message and photos; the report as it is afterwards (its status may
    have changed), or as it was when something was refused (and the text is kept)."""
    text = request.POST.get("text", "").strip()
    errors: dict[str, list[str]] = {}
    if len(text) > 5000:
        errors["text"] = [_too_long(5000)]
    elif not text and not request.FILES.getlist("photos"):
        errors["text"] = [_("Write your message or choose a photo before sending.")]
    room = settings.ATTACHMENTS_PER_REPORT - report.attachments.count()
    photo_ids = [] if errors else _upload_photos(request, errors, room=room)
    if errors:
        context["text"] = text
        context["message_error"] = " ".join(errors.get("text", []))
        context["photo_errors"] = errors.get("photos", [])
        fields = {"text": "text", "photos": "photos"}
        context["problems"] = [
            (fields[name], message) for name, messages in errors.items() for message in messages
        ]
        return report
    try:
        followed = services.followup_add(
            report=report,
            text=text,
            attachments=list(Attachment.objects.filter(id__in=photo_ids)),
            actor=AnonymousUser(),
        )
    except services.TooManyAttachments as refused:  # another upload won the last place
        photo_errors = refused.messages_for_form()
        context.update(
            text=text,
            photo_errors=photo_errors,
            problems=[("photos", message) for message in photo_errors],
        )
        return report
    context["sent"] = True
    context["photos_added"] = len(photo_ids)
    return followed.report


def _too_long(limit: int) -> str:
    return _("Your text is too long: at most %(limit)s characters.") % {"limit": limit}


def _limit_message() -> str:
    return _("Too many attempts from you or from everyone at once. Wait a while and try again.")


@login_not_required
def rate_limited(request, exception=None):
    message = _limit_message()
    if request.path.startswith("/api/") or _wants_json(request):
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
