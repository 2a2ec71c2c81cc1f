"""Login with password and second factor, enrolment, recovery codes, logout."""

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from baken.core.input_guard import form_checks_text
from baken.core.roles import Role

from . import pending, selectors, services
from .forms import CodeForm, EnrolForm, LoginForm
from .sso.views import provider_logout_url

_RECOVERY_CODES = "baken.recovery_codes"
_NEXT = "baken.next"


def _next_url(request) -> str:
    target = request.session.get(_NEXT) or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("core:home")


def _start_over(request, message: str):
    messages.warning(request, message)
    return redirect("accounts:login")


@login_not_required
@form_checks_text
@sensitive_post_parameters("password")
def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request.POST if request.method == "POST" else None)
    if settings.OIDC_ENABLED:  # the municipality account comes first, not the password field
        form.fields["username"].widget.attrs.pop("autofocus", None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None and _local_login_refused(user):
            form.add_error(None, _("Log in with your municipality account (button above)."))
        elif user is not None:
            pending.start(request, user)
            request.session[_NEXT] = request.GET.get("next", "")
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                return redirect("accounts:verify")
            return redirect("accounts:enrol")
        form.add_error(
            None, _("This username and password do not match. Check both and try again.")
        )
    context = {"form": form, "sso": settings.OIDC_ENABLED, "next": request.GET.get("next", "")}
    return render(request, "accounts/login.html", context)


def _local_login_refused(user) -> bool:
    """With single sign-on on, the password login is the administrator's break-glass only."""
    return (
        settings.OIDC_ENABLED and settings.OIDC_LOCAL_LOGIN_ADMIN_ONLY and user.role != Role.ADMIN
    )


@login_not_required
@form_checks_text
@sensitive_post_parameters("code")
def verify_view(request):
    user = pending.user(request)
    if user is None:
        return _start_over(request, _("Your login took too long. Enter your password again."))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device, wait = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            next_url = _next_url(request)
            pending.clear(request)
            services.login_complete(request=request, user=user, device=device)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(
                    request,
                    _("You used a recovery code. %(count)s codes are left.")
                    % {"count": services.recovery_codes_left(user=user)},
                )
            return redirect(next_url)
        if wait:
            form.add_error(
                "code",
                _("Too many wrong codes. Wait %(seconds)s seconds and try again.")
                % {"seconds": wait},
            )
        elif pending.note_failure(request):
            return _start_over(request, _("Too many wrong codes. Enter your password again."))
        else:
            form.add_error("code", _("This code is not correct or has expired. Try the new code."))
    return render(request, "accounts/verify.html", {"form": form})


@login_not_required
@form_checks_text
@sensitive_post_parameters("code")
def enrol_view(request):
    user = pending.user(request)
    if user is None:
        return _start_over(request, _("Your login took too long. Enter your password again."))
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:verify")
    device = services.totp_device_start(user=user)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(device=device, code=form.cleaned_data["code"].strip()):
            pending.clear(request)
            services.login_complete(request=request, user=user, device=device)
            request.session[_RECOVERY_CODES] = services.recovery_codes_generate(user=user)
            return redirect("accounts:recovery_codes")
        form.add_error(
            "code", _("This code is not correct. Check the time on your phone and try again.")
        )
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_data_uri": qr.svg_data_uri(scale=5, dark="#000", light="#fff"),
        "secret": _grouped(device.bin_key),
    }
    return render(request, "accounts/enrol.html", context)


def _grouped(key: bytes) -> str:
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def recovery_codes_view(request):
    """Shows freshly made recovery codes once; asking again makes new ones."""
    if request.method == "POST":
        request.session[_RECOVERY_CODES] = services.recovery_codes_generate(user=request.user)
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(_RECOVERY_CODES, None)
    if codes is None:
        return redirect("accounts:account")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


def account_view(request):
    context = {
        "recovery_codes_left": services.recovery_codes_left(user=request.user),
        "tokens": selectors.api_token_list(user=request.user),
    }
    return render(request, "accounts/account.html", context)


@require_POST
def logout_view(request):
    at_provider = provider_logout_url(request)
    services.logout_session(request=request)
    messages.info(request, _("You have been logged out."))
    return redirect(at_provider or "accounts:login")


@require_POST
def logout_everywhere_view(request):
    services.logout_everywhere(user=request.user)
    logout(request)
    messages.info(request, _("You have been logged out on every device."))
    return redirect("accounts:login")
