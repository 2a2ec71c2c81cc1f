"""The weekly overview's pages: the latest week with the archive of all weeks, one week, its
PDF, and the e-mail subscription. Readers: team lead and analyst (their team), management
(suppressed aggregates); everyone else 403. A week not built yet is a 404 that says so."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import overview
from .models import WeeklyOverview
from .overview_pdf import overview_pdf
from .overview_reading import overview_context
from .overview_scope import overview_get, overview_list, overview_read_logged


def _reader(request) -> None:
    if not overview.may_read(request.user):
        raise PermissionDenied


def _page(request, week: WeeklyOverview | None):
    context: dict[str, Any] = {
        "overview": week,
        "archive": overview_list(user=request.user),
        "subscribed": overview.is_subscribed(request.user),
    }
    if week is not None:
        context |= overview_context(
            user=request.user, overview=week, page=request.GET.get("pagina") or "1"
        )
        overview_read_logged(
            user=request.user, overview=week, form="html", reports=context["shown"]
        )
    return render(request, "insights/overview.html", context)


@require_GET
def overview_latest(request):
    _reader(request)
    return _page(request, overview_list(user=request.user).first())


def _week_or_missing(request, week: str):
    found = overview_get(user=request.user, week=week)
    if found is None:
        return None, render(request, "insights/overview_missing.html", {"week": week}, status=404)
    return found, None


@require_GET
def overview_week(request, week: str):
    _reader(request)
    found, missing = _week_or_missing(request, week)
    return missing or _page(request, found)


@require_GET
def overview_week_pdf(request, week: str):
    _reader(request)
    found, missing = _week_or_missing(request, week)
    if missing:
        return missing
    context = overview_context(user=request.user, overview=found)
    pdf = overview_pdf({**context, "reader": request.user})
    overview_read_logged(user=request.user, overview=found, form="pdf", reports=context["shown"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="weekoverzicht-{found.week}.pdf"'
    return response


@require_POST
def overview_subscription(request):
    _reader(request)
    on = request.POST.get("subscribed") == "on"
    overview.subscription_set(user=request.user, subscribed=on)
    messages.success(
        request,
        _("You will receive the weekly overview by e-mail.")
        if on
        else _("You will no longer receive the weekly overview by e-mail."),
    )
    week = request.POST.get("week", "")
    if overview_get(user=request.user, week=week) is not None:
        return redirect("insights:overview_week", week=week)
    return redirect(reverse("insights:overview"))
