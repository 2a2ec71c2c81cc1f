"""Pages of the practice scenarios (issue 17): the employee's /melden/oefenen (no login), the
functional administrator's scenarios, the team's counts. The rules are in practice.py."""

from typing import cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from baken.accounts.decorators import capability_required
from baken.core.refusals import Refused
from baken.core.roles import Capability
from baken.reports.models import Category

from . import practice
from .models import PracticeAnswer, PracticeScenario

# --- the employee's page ---------------------------------------------------------------------


def _themes(scenarios: list[PracticeScenario]) -> list[tuple[Category, list]]:
    """The scenarios per theme, in the catalogue's order, each with its number on the page."""
    themes: dict[int, tuple[Category, list]] = {}
    for number, scenario in enumerate(scenarios, start=1):
        themes.setdefault(scenario.category_id, (scenario.category, []))[1].append(
            (number, scenario)
        )
    return sorted(themes.values(), key=lambda theme: (theme[0].position, theme[0].name))


def _context(scenarios: list[PracticeScenario], scenario: PracticeScenario | None) -> dict:
    number = scenarios.index(scenario) + 1 if scenario in scenarios else 0
    return {
        "scenario": scenario,
        "number": number,
        "count": len(scenarios),
        "themes": _themes(scenarios),
        "answers": PracticeAnswer.choices,
        "next": scenarios[number] if 0 < number < len(scenarios) else None,
        "first": scenarios[0] if scenarios else None,
    }


def _question(request, scenario, *, status: int = 200, error: str = "", limit: str = ""):
    context = _context(list(practice.scenarios_active()), scenario)
    context.update(error=error, limit_message=limit)
    if error:
        context["problems"] = [("answers", error)]
    return render(request, "awareness/practice/question.html", context, status=status)


@login_not_required
@never_cache
@require_GET
def practice_page(request):
    """The first scenario, and every scenario per theme to choose from."""
    return _question(request, practice.scenarios_active().first())


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def practice_answer(request, pk: int):
    """GET: this scenario's question, or with ?antwoord= the team's advice for that answer
    (counting nothing). POST: count the answer, then redirect (303) to that advice, so that a
    reload or back/forward shows it again without counting twice (POST-redirect-GET).

    Nothing is kept of the person answering: no session, no audit entry; only one more in
    the count (practice.answer_record). The request log has the line every request has (path,
    status, time, request id; never the answer or the address), as the Meldpunt's own form;
    the redirect's query names one of three answers, no more than the count keeps.
    The form's CSRF token is the Meldpunt's (the csrftoken cookie, nothing else)."""
    scenario = practice.scenario_active(pk)  # 404 for an unknown or switched-off one
    if request.method == "GET":
        given = request.GET.get(ANSWER_PARAM, "")
        if given in PracticeAnswer.values:
            return _advice(request, scenario, PracticeAnswer(given))
        return _question(request, scenario)  # no answer, or an unknown one: ask again
    if practice.answer_limited(request, scenario_id=scenario.pk):
        limit = _("Too many answers from you or from everyone at once. Wait a while and try again.")
        return _question(request, scenario, status=429, limit=limit)
    try:
        practice.answer_record(scenario_id=scenario.pk, answer=request.POST.get("answer", ""))
    except Refused as refused:
        return _question(request, scenario, status=400, error=refused.messages_for_form()[0])
    target = reverse("awareness:practice_answer", args=[scenario.pk])
    query = urlencode({ANSWER_PARAM: request.POST["answer"]})
    return HttpResponseRedirect(f"{target}?{query}", status=303)


# The query parameter of the advice page (Dutch, as the Meldpunt's other addresses).
ANSWER_PARAM = "antwoord"


def _advice(request, scenario: PracticeScenario, answer: PracticeAnswer):
    """The team's advice beside the employee's answer; counts nothing (see practice_answer)."""
    context = _context(list(practice.scenarios_active()), scenario)
    context.update(
        answer=answer,
        advice=PracticeAnswer(scenario.advice),
        matches=answer == scenario.advice,
        signs=practice.signs_of(scenario),
    )
    return render(request, "awareness/practice/result.html", context)


# --- the functional administrator ------------------------------------------------------------


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = PracticeScenario
        fields = ["category", "situation", "advice", "explanation", "position", "is_active"]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 5}),
            "explanation": forms.Textarea(attrs={"rows": 6}),
            "advice": forms.RadioSelect,
        }
        help_texts = {
            "category": gettext_lazy(
                "The employee sees the signs of this theme from the catalogue with the advice."
            ),
            "situation": gettext_lazy(
                "A short situation at work, in plain language, ending with 'Zou u dit melden?'."
            ),
            "explanation": gettext_lazy(
                "Why the team advises this answer, and when not to report. Shown after answering."
            ),
            "position": gettext_lazy("Lower numbers come first."),
            "is_active": gettext_lazy(
                "Switched off: employees no longer see it; its counts are kept."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        category = cast(forms.ModelChoiceField, self.fields["category"])
        category.queryset = Category.objects.order_by("position", "name")
        if self.instance.pk:  # a new scenario has no counts yet
            self.fields["advice"].help_text = _(
                "If you change the advice, the counts of this situation start again."
            )


@capability_required(Capability.CONFIGURE)
@require_GET
def practice_admin(request):
    scenarios = practice.scenario_list(actor=request.user)
    return render(request, "awareness/practice/admin_list.html", {"scenarios": scenarios})


@capability_required(Capability.CONFIGURE)
@require_http_methods(["GET", "POST"])
def practice_edit(request, pk: int | None = None):
    scenario = practice.scenario_for_edit(actor=request.user, pk=pk) if pk else PracticeScenario()
    form = ScenarioForm(request.POST if request.method == "POST" else None, instance=scenario)
    if request.method == "POST" and form.is_valid():
        saved = practice.scenario_save(actor=request.user, scenario=form.instance)
        if saved.counts_reset:
            messages.success(
                request,
                _(
                    "The practice scenario was saved. Its advice changed, so its counts start "
                    "again."
                ),
            )
        else:
            messages.success(request, _("The practice scenario was saved."))
        return redirect("awareness:practice_admin")
    return render(
        request, "awareness/practice/admin_form.html", {"form": form, "scenario": scenario}
    )


# --- the team's counts -----------------------------------------------------------------------


@require_GET
def practice_counts(request):
    rows = practice.counts(actor=request.user)  # refuses every role but the team's and admin's
    return render(
        request,
        "awareness/practice/counts.html",
        {
            "rows": rows,
            "highlight_from": practice.HIGHLIGHT_FROM,
            "may_edit": request.user.can(Capability.CONFIGURE),
        },
    )
