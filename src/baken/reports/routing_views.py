"""Routing pages: the functional administrator's rules and rule tester, handing a report on
by hand, and the team lead's workload. Thin views: parse, call one service, render."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from baken.accounts.decorators import capability_required
from baken.accounts.models import Team, User
from baken.core.roles import Capability
from baken.places.models import Area

from . import routing, selectors
from .access import report_for
from .assigning import assign_context
from .models import Category, Channel, RoutingRule
from .permissions import Action
from .routing_preview import Placement, is_catch_all
from .routing_preview_views import preview_context
from .workflow import Status


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.team.name})" if obj.team else name


def _people():
    return User.objects.filter(is_active=True, role__in=routing.WORKSPACE_ROLES).select_related(
        "team"
    )


class RoutingRuleForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the rule a name.")},
    )
    category = forms.ModelChoiceField(
        Category.objects.all(),
        label=gettext_lazy("Category"),
        required=False,
        empty_label=gettext_lazy("Any category"),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        choices=[("", gettext_lazy("Any channel")), *Channel.choices],
        required=False,
    )
    postcode_prefix = forms.CharField(
        label=gettext_lazy("Postcode starts with"),
        max_length=7,
        required=False,
        help_text=gettext_lazy("e.g. 1781 or 17. Empty: any postcode."),
    )
    area = forms.ModelChoiceField(
        Area.objects.all(),
        label=gettext_lazy("Area"),
        required=False,
        empty_label=gettext_lazy("Any area"),
        help_text=gettext_lazy(
            "Reports whose place lies in this district or neighbourhood (its point, or its "
            "address in the address register)."
        ),
    )
    team = forms.ModelChoiceField(
        Team.objects.all(),
        label=gettext_lazy("Team"),
        error_messages={
            "required": gettext_lazy("Choose the team that gets the reports this rule takes.")
        },
    )
    assignee = PersonChoiceField(
        _people(),
        label=gettext_lazy("Person"),
        required=False,
        empty_label=gettext_lazy("Nobody: the team divides the work"),
        help_text=gettext_lazy("Must be a member of the chosen team."),
    )
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)
    placement = forms.ChoiceField(
        label=gettext_lazy("Place in the order"),
        choices=Placement.choices,
        initial=Placement.ABOVE_CATCH_ALLS,
        required=False,  # not chosen: above the catch-alls
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "A catch-all rule does not look at category or channel: it takes every report of "
            "its place, or every report when it has no place. A rule below a catch-all for the "
            "same place never fires."
        ),
    )

    def __init__(self, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not new:
            # A saved rule keeps its place; the list's up and down move it.
            del self.fields["placement"]

    def clean(self):
        cleaned = super().clean() or {}
        if "team" not in cleaned:
            return cleaned
        probe = RoutingRule(
            team=cleaned["team"],
            assignee=cleaned.get("assignee"),
            postcode_prefix=cleaned.get("postcode_prefix", ""),
        )
        try:
            routing.check_rule(probe)
        except routing.RoutingRefused as refused:
            for name, reason in refused.problems.items():
                self.add_error(name if name in self.fields else None, reason)
        else:
            cleaned["postcode_prefix"] = probe.postcode_prefix
        return cleaned


class RuleTestForm(forms.Form):
    category = forms.ModelChoiceField(
        Category.objects.all(),
        label=gettext_lazy("Category"),
        required=False,
        empty_label=gettext_lazy("No category"),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"), choices=Channel.choices, initial=Channel.WEB
    )
    postcode = forms.CharField(
        label=gettext_lazy("Postcode"),
        max_length=7,
        required=False,
        help_text=gettext_lazy("e.g. 1781 AB; empty for a report without an address."),
    )
    house_number = forms.IntegerField(
        label=gettext_lazy("House number"),
        min_value=1,
        max_value=99999,
        required=False,
        help_text=gettext_lazy("With the postcode, places the report in an area."),
    )

    def clean_postcode(self) -> str:
        try:
            return routing.normalise_prefix(self.cleaned_data["postcode"])
        except routing.RoutingRefused:
            raise ValidationError(_("Give a postcode, e.g. 1781 AB.")) from None


# --- the rules (functional administrator) ---------------------------------------------------


@capability_required(Capability.CONFIGURE)
@require_GET
def rule_list(request):
    rules = list(routing.rule_list())
    for rule in rules:
        rule.catch_all = is_catch_all(rule)  # marked in the list: later rules may never fire
    return render(
        request,
        "reports/routing/rules.html",
        {"rules": rules, "test_form": RuleTestForm()},
    )


def _initial(rule: RoutingRule) -> dict:
    return {name: getattr(rule, name) for name in routing.RULE_FIELDS}


@capability_required(Capability.CONFIGURE)
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk: int | None = None):
    rule = get_object_or_404(RoutingRule, pk=pk) if pk else None
    initial = _initial(rule) if rule else None
    data = request.POST if request.method == "POST" else None
    form = RoutingRuleForm(data, initial=initial, new=rule is None)
    if "preview" in request.POST:
        # The "Preview" button without JavaScript: the same form with its preview, unsaved.
        context = {"form": form, "rule": rule, **preview_context(request, form, rule)}
        return render(request, "reports/routing/rule_form.html", context)
    if request.method == "POST" and form.is_valid():
        if rule is None:
            routing.routing_rule_create(actor=request.user, **form.cleaned_data)
        else:
            routing.routing_rule_update(actor=request.user, rule=rule, **form.cleaned_data)
        messages.success(request, _("The routing rule was saved."))
        return redirect("reports:routing_rules")
    status = 400 if form.is_bound else 200
    context = {"form": form, "rule": rule, **preview_context(request, form, rule)}
    return render(request, "reports/routing/rule_form.html", context, status=status)


@capability_required(Capability.CONFIGURE)
@require_http_methods(["GET", "POST"])
def rule_delete(request, pk: int):
    rule = get_object_or_404(RoutingRule.objects.select_related("team"), pk=pk)
    if request.method == "POST":
        routing.routing_rule_delete(actor=request.user, rule=rule)
        messages.success(request, _("The routing rule was deleted."))
        return redirect("reports:routing_rules")
    return render(request, "reports/routing/rule_delete.html", {"rule": rule})


@capability_required(Capability.CONFIGURE)
@require_POST
def rule_toggle(request, pk: int):
    rule = get_object_or_404(RoutingRule, pk=pk)
    active = request.POST.get("active") == "1"
    routing.routing_rule_set_active(actor=request.user, rule=rule, active=active)
    if active:
        messages.success(request, _("The routing rule is active again."))
    else:
        messages.success(request, _("The routing rule is switched off."))
    return redirect("reports:routing_rules")


@capability_required(Capability.CONFIGURE)
@require_POST
def rule_move(request, pk: int):
    rule = get_object_or_404(RoutingRule, pk=pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        return redirect("reports:routing_rules")
    routing.routing_rule_move(actor=request.user, rule=rule, offset=offset)
    messages.success(request, _("The order of the routing rules was changed."))
    return redirect("reports:routing_rules")


@capability_required(Capability.CONFIGURE)
@require_GET
def rule_test(request):
    form = RuleTestForm(request.GET if "channel" in request.GET else None)
    context: dict = {"form": form, "tested": False}
    if form.is_bound and form.is_valid():
        context["tested"] = True
        context["rule"] = routing.routing_rule_test(**form.cleaned_data)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "reports/routing/test.html", context, status=status)


# --- handing a report on (team lead, intake officer) ----------------------------------------


def _field(request, name: str) -> int | None:
    value = request.POST.get(name, "")
    if not value:
        return None
    # ASCII digits only ("²" is a digit to Python) and within a database integer.
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise routing.RoutingRefused({name: _("Choose from the list.")})
    return int(value)


@capability_required(Capability.WORKSPACE)
@require_POST
def assign(request, pk: int):
    report = report_for(request.user, pk, Action.ASSIGN)
    htmx = bool(request.headers.get("HX-Request"))
    try:
        report = routing.report_assign(
            report=report,
            actor=request.user,
            team_id=_field(request, "team"),
            assignee_id=_field(request, "assignee"),
        )
    except routing.RoutingRefused as refused:
        errors = list(refused.problems.values())
        if htmx:
            # 200, not 400: htmx does not swap error responses, and the form must show why.
            context = {**assign_context(report), "assign_errors": errors}
            return render(request, "reports/_assign_form.html", context)
        for error in errors:
            messages.error(request, error)
        return redirect("reports:detail", pk=pk)
    done = _("The assignment was saved.")
    if htmx:
        context = {**assign_context(report), "assign_message": done}
        return render(request, "reports/_assign_form.html", context)
    messages.success(request, done)
    if not selectors.report_list(user=request.user).filter(pk=pk).exists():
        # Handed to another team: the report is no longer this user's to see.
        return redirect("reports:inbox")
    return redirect("reports:detail", pk=pk)


# --- workload (team lead; an analyst sees their own) ----------------------------------------


@capability_required(Capability.WORKSPACE)
@require_GET
def workload(request):
    if not routing.can_see_workload(request.user):
        raise PermissionDenied
    context = {
        "workload": routing.workload(user=request.user),
        "statuses": [Status(code).label for code in routing.OPEN_WORK],
    }
    return render(request, "reports/routing/workload.html", context)
