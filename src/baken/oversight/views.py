"""The access review pages under /toezicht/ (issue 16), for the privacy officer: the flags,
one flag with the audit entries behind it and its review, and the weekly access report per
team as a page and a PDF. Every page view is an audit entry (oversight/selectors.py)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baken.accounts.decorators import capability_required
from baken.core.refusals import Refused
from baken.core.roles import Capability

from . import selectors, services
from .access_report import access_report_file_name, access_report_pdf
from .forms import FlagFilterForm, ReviewForm, WeekForm
from .models import AccessFlag, FlagKind
from .presenting import entries_shown, flag_sentence
from .weeks import Week

FLAGS_PER_PAGE = 50
ENTRIES_PER_PAGE = 100


@require_GET
@capability_required(Capability.AUDIT)
def flags(request):
    user = request.user
    form = FlagFilterForm(request.GET or None, users=selectors.flagged_users(actor=user))
    status, page, shown = 200, None, []
    if not form.is_bound:
        form = FlagFilterForm(
            initial={"state": selectors.OPEN}, users=selectors.flagged_users(actor=user)
        )
        filters = selectors.FlagFilter(state=selectors.OPEN)
    elif form.is_valid():
        data = form.cleaned_data
        filters = selectors.FlagFilter(
            state=data["state"],
            kind=data["kind"],
            user_id=data["user"],
            since=data["since"],
            until=data["until"],
        )
    else:
        filters, status = None, 400
    if filters is not None:
        page = Paginator(selectors.flag_list(actor=user, filters=filters), FLAGS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        shown = [(flag, flag_sentence(flag)) for flag in page.object_list]
        selectors.flags_shown(actor=user, flags=list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "shown": shown,
        "query": query.urlencode(),
        "kinds": FlagKind.choices,
    }
    return render(request, "oversight/flags.html", context, status=status)


def _flag_page(request, flag: AccessFlag, form: ReviewForm, *, status: int = 200):
    page = Paginator(flag.entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "flag": flag,
        "sentence": flag_sentence(flag),
        "entries": entries_shown(list(page.object_list)),
        "page": page,
        "reviews": selectors.flag_reviews(flag),
        "form": form,
        "own": flag.user_id == request.user.pk,
    }
    return render(request, "oversight/flag.html", context, status=status)


def _flag_for(request, pk: int) -> AccessFlag:
    flag = selectors.flag_get(actor=request.user, pk=pk)
    if flag is None:
        raise Http404
    return flag


@require_GET
@capability_required(Capability.AUDIT)
def flag(request, pk: int):
    found = _flag_for(request, pk)
    return _flag_page(request, found, ReviewForm(initial={"state": ""}))


@require_POST
@capability_required(Capability.AUDIT)
def flag_review(request, pk: int):
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.flag_review(
                actor=request.user,
                pk=pk,
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
            )
        except Refused as refused:
            refused.messages_for_form()
            for field, message in refused.problems.items():
                form.add_error(field if field in form.fields else None, str(message))
        else:
            messages.success(request, _("Your review is saved."))
            return redirect("oversight:flag", pk=pk)
    return _flag_page(request, _flag_for(request, pk), form, status=400)


def _week(request) -> tuple[WeekForm, Week | None]:
    if "week" not in request.GET:
        week = Week.last_complete()
        return WeekForm(initial={"week": week.label}), week
    form = WeekForm(request.GET)
    return form, form.cleaned_data["week"] if form.is_valid() else None


@require_GET
@capability_required(Capability.AUDIT)
def report(request):
    form, week = _week(request)
    found = selectors.access_report(actor=request.user, week=week) if week else None
    context = {"form": form, "report": found, "week": week}
    return render(request, "oversight/report.html", context, status=200 if week else 400)


@require_GET
@capability_required(Capability.AUDIT)
def report_pdf(request):
    form, week = _week(request)
    if week is None:
        context = {"form": form, "report": None, "week": None}
        return render(request, "oversight/report.html", context, status=400)
    found = selectors.access_report(actor=request.user, week=week, form="pdf")
    if found is None:
        raise Http404
    response = HttpResponse(access_report_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{access_report_file_name(found)}"'
    response["Cache-Control"] = "private, no-store"
    return response
