"""The user's own notifications: the list, opening one (marks it read and goes on to the
object, whose page decides what the user may still see), marking read, and the choice of
e-mail per kind (a part of the account page, served from here)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services


def _receiving(request) -> None:
    if not selectors.receives_notifications(request.user):
        raise PermissionDenied


def notification_list(request):
    _receiving(request)
    page = Paginator(selectors.notification_list(user=request.user), 50).get_page(
        request.GET.get("pagina")
    )
    return render(request, "notifications/list.html", {"page": page})


def notification_open(request, pk: int):
    notification = services.notification_read(user=request.user, pk=pk)
    if notification is None:
        raise Http404
    return redirect(notification.target_path())


@require_POST
def notification_read(request, pk: int):
    if services.notification_read(user=request.user, pk=pk) is None:
        raise Http404
    return redirect("notifications:list")


@require_POST
def notifications_read_all(request):
    _receiving(request)
    services.notifications_read_all(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


def preferences(request):
    """The form on the account page (loaded there with htmx) and, without JavaScript, a page
    of its own."""
    _receiving(request)
    if request.method == "POST":
        services.preferences_set(
            user=request.user,
            kinds=selectors.kinds_for(request.user),
            email=request.POST.getlist("email"),
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("accounts:account")
    wanted = selectors.email_kinds(request.user)
    rows = [
        {"kind": kind, "label": kind.label, "email": kind in wanted}
        for kind in selectors.kinds_for(request.user)
    ]
    template = (
        "notifications/preferences_form.html"
        if request.headers.get("HX-Request")
        else "notifications/preferences.html"
    )
    return render(request, template, {"rows": rows, "has_email": bool(request.user.email)})
