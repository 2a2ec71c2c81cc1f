"""User management for the functional administrator."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from baken.core.input_guard import form_checks_text
from baken.core.refusals import Refused
from baken.core.roles import Capability

from . import selectors, services
from .decorators import capability_required
from .forms import UserCreateForm, UserUpdateForm


@capability_required(Capability.MANAGE_USERS)
def user_list_view(request):
    return render(request, "accounts/users.html", {"users": selectors.user_list(user=request.user)})


@capability_required(Capability.MANAGE_USERS)
@form_checks_text
@sensitive_post_parameters("password")
def user_create_view(request):
    form = UserCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                team = data["team"]
                if data["new_team"]:
                    team = services.team_get_or_create(name=data["new_team"], actor=request.user)
                user = services.user_create(
                    username=data["username"],
                    role=data["role"],
                    password=data["password"],
                    team=team,
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    actor=request.user,
                )
        except Refused as refused:
            # The form again, each problem at its field, with what was typed.
            for field, message in refused.problems.items():
                form.add_error(field if field in form.fields else None, str(message))
        else:
            messages.success(
                request,
                _("User %(name)s was created. They set up their second factor at first login.")
                % {"name": user.username},
            )
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form})


@capability_required(Capability.MANAGE_USERS)
@form_checks_text
def user_detail_view(request, pk: int):
    subject = selectors.user_get(user=request.user, pk=pk)
    form = UserUpdateForm(
        request.POST if request.POST.get("action") == "update" else None,
        initial={"role": subject.role, "team": subject.team, "is_active": subject.is_active},
    )
    if request.method == "POST" and request.POST.get("action") == "reset_second_factor":
        services.second_factor_reset(user=subject, actor=request.user)
        messages.success(request, _("The second factor was removed; they enrol again at login."))
        return redirect("accounts:user_detail", pk=subject.pk)
    if request.method == "POST" and request.POST.get("action") == "unlock":
        services.lockout_lift(user=subject, actor=request.user)
        messages.success(
            request, _("The lockout was lifted: they can log in and use their API tokens again.")
        )
        return redirect("accounts:user_detail", pk=subject.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                user=subject,
                actor=request.user,
                role=form.cleaned_data["role"],
                team=form.cleaned_data["team"],
                is_active=form.cleaned_data["is_active"],
            )
        except Refused as refused:
            # Their own access (403): the administrator knows the user, so the form says
            # why, with what was chosen.
            for message in refused.messages():
                form.add_error(None, message)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("accounts:user_detail", pk=subject.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": subject,
            "form": form,
            "locked_out": selectors.is_locked_out(request, subject),
        },
    )
