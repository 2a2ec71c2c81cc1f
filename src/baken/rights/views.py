"""The request register's pages (`/verzoeken/`, issue 16): the list of requests of data
subjects with their deadlines, registering one, and one request's page — its details and
deadline, the timeline, notes, the search for the person everywhere with confirm and reject,
the confirmed items and the decision.

Only the privacy officer (Capability.RIGHTS) opens them; everyone else gets 403, as on the
other pages of the privacy officer. Every view calls the selectors and services, which hold
the rules and write the audit entries; a refusal comes back at its field, with what was
typed kept (status 400).
"""

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from baken.accounts.decorators import capability_required
from baken.core.dates import long
from baken.core.refusals import Refused
from baken.core.roles import Capability

from . import finding, selectors, services
from .forms import (
    DecisionForm,
    ExtendForm,
    FilterForm,
    JudgeForm,
    NoteForm,
    RequestForm,
    SearchForm,
)
from .models import HitKind, RequestState

# The panels other parts of the rights app add to a request's page: the inzage overview
# (disclosure per item, the PDF) and the changes (correction, removal, restriction).
PANELS = ("rights/_inzage_panel.html", "rights/_changes_panel.html")


def _refused_into(form, refused: Refused) -> None:
    """Each problem at its field (a 404 or 403 is raised again: no form says what is not
    there)."""
    refused.messages_for_form()
    for field, message in refused.problems.items():
        form.add_error(field if field in form.fields else None, str(message))


def due_text(request, today: date | None = None) -> str:
    """'nog 12 dagen', 'vandaag', '3 dagen te laat' — for an open request."""
    left = selectors.days_left(request, today)
    if left > 1:
        return _("%(days)s days left") % {"days": left}
    if left == 1:
        return _("1 day left")
    if left == 0:
        return _("due today")
    if left == -1:
        return _("1 day overdue")
    return _("%(days)s days overdue") % {"days": -left}


@require_GET
@capability_required(Capability.RIGHTS)
def request_list(request):
    form = FilterForm(request.GET or None)
    requests = list(selectors.request_list(actor=request.user, **form.filters())[:500])
    today = timezone.localdate()
    for item in requests:
        item.days_left = selectors.days_left(item, today)  # type: ignore[attr-defined]
        item.due_text = due_text(item, today)  # type: ignore[attr-defined]
    return render(
        request,
        "rights/list.html",
        {"form": form, "requests": requests, "filtered": bool(request.GET)},
    )


@require_http_methods(["GET", "POST"])
@capability_required(Capability.RIGHTS)
def request_new(request):
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.request_register(actor=request.user, **form.cleaned_data)
        except services.RequestRegisteredAlready as already:
            messages.info(
                request,
                _("Request %(reference)s was registered already; nothing was registered twice.")
                % {"reference": already.request.reference},
            )
            return redirect("rights:detail", pk=already.request.pk)
        except Refused as refused:
            _refused_into(form, refused)
        else:
            messages.success(
                request,
                _("Request %(reference)s is registered; the answer is due on %(due)s.")
                % {"reference": made.reference, "due": long(made.deadline)},
            )
            return redirect("rights:detail", pk=made.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rights/new.html", {"form": form}, status=status)


def _search_form_for(data_request) -> SearchForm:
    return SearchForm(
        initial={
            "name": data_request.requester_name,
            "birth_date": data_request.requester_birth_date,
        }
    )


def _page(request, pk: int, *, status: int = 200, findings=None, **forms):
    data_request = selectors.request_get(actor=request.user, pk=pk)
    is_open = data_request.state == RequestState.OPEN
    steps = list(data_request.steps.all())
    context = {
        "data_request": data_request,
        "is_open": is_open,
        "due_text": due_text(data_request) if is_open else "",
        "days_left": selectors.days_left(data_request),
        "steps": steps,
        "hits": list(data_request.hits.all()),
        "hit_kinds": HitKind,
        "note_form": forms.get("note_form") or NoteForm(),
        "extend_form": forms.get("extend_form") or ExtendForm(),
        "search_form": forms.get("search_form") or _search_form_for(data_request),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "judge_problem": forms.get("judge_problem", ""),
        "findings": findings,
        "panels": [name for name in PANELS if _exists(name)],
    }
    return render(request, "rights/detail.html", context, status=status)


def _exists(name: str) -> bool:
    try:
        select_template([name])
    except Exception:  # noqa: BLE001 (TemplateDoesNotExist and its kin: the panel is not there)
        return False
    return True


@require_GET
@capability_required(Capability.RIGHTS)
def request_detail(request, pk: int):
    return _page(request, pk)


def _after(request, pk: int, message: str):
    messages.success(request, message)
    return redirect("rights:detail", pk=pk)


@require_POST
@capability_required(Capability.RIGHTS)
def request_note(request, pk: int):
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.request_note(actor=request.user, pk=pk, text=form.cleaned_data["text"])
        except Refused as refused:
            _refused_into(form, refused)
        else:
            return _after(request, pk, _("The note is added."))
    return _page(request, pk, status=400, note_form=form)


@require_POST
@capability_required(Capability.RIGHTS)
def request_extend(request, pk: int):
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            extended = services.request_extend(
                actor=request.user, pk=pk, reason=form.cleaned_data["reason"]
            )
        except Refused as refused:
            _refused_into(form, refused)
        else:
            return _after(
                request,
                pk,
                _("The deadline is extended to %(due)s. Tell the requester, with the reason.")
                % {"due": long(extended.extended_until)},
            )
    return _page(request, pk, status=400, extend_form=form)


def _criteria(form: SearchForm) -> finding.Criteria:
    data = form.cleaned_data
    return finding.Criteria.of(
        name=data["name"],
        birth_date=data["birth_date"],
        bsn=data["bsn"],
        kvk_number=data["kvk_number"],
        postcode=data["postcode"],
        house_number=data["house_number"],
        house_letter=data["house_letter"],
        addition=data["addition"],
        license_plate=data["license_plate"],
    )


@require_POST
@capability_required(Capability.RIGHTS)
def request_search(request, pk: int):
    """The search for the person: the request's page with what was found (POST: what is
    typed here identifies a person, and stays out of addresses and logs)."""
    form = SearchForm(request.POST)
    if form.is_valid():
        try:
            criteria = _criteria(form)
            found = finding.find(actor=request.user, pk=pk, criteria=criteria)
        except Refused as refused:
            _refused_into(form, refused)
        else:
            return _page(request, pk, findings=found, search_form=form)
    return _page(request, pk, status=400, search_form=form)


@require_POST
@capability_required(Capability.RIGHTS)
def hit_judge(request, pk: int):
    """Confirm ('is de persoon') or reject a found item; then the same search again, so the
    officer goes on where they were (htmx swaps only the item and the confirmed list)."""
    form = JudgeForm(request.POST)
    search_form = SearchForm(request.POST)
    problem = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("judgement") == "reject":
                services.hit_reject(
                    actor=request.user,
                    pk=pk,
                    kind=data["kind"],
                    object_id=data["object_id"],
                    reason=data["reason"],
                )
            else:
                services.hit_confirm(
                    actor=request.user,
                    pk=pk,
                    kind=data["kind"],
                    object_id=data["object_id"],
                    reasons=request.POST.getlist("reasons"),
                )
        except Refused as refused:
            refused.messages_for_form()
            problem = " ".join(refused.messages())
    else:
        problem = _("Choose an item to confirm or reject.")
    found = None
    if search_form.is_valid():
        try:
            found = finding.find(
                actor=request.user, pk=pk, criteria=_criteria(search_form), record=False
            )
        except Refused:
            found = None
    # htmx swaps only a 2xx answer: the problem is on the page it swaps in.
    htmx = request.headers.get("HX-Request") == "true"
    return _page(
        request,
        pk,
        status=400 if problem and not htmx else 200,
        findings=found,
        search_form=search_form,
        judge_problem=problem,
    )


@require_POST
@capability_required(Capability.RIGHTS)
def request_decide(request, pk: int):
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.request_decide(actor=request.user, pk=pk, **form.cleaned_data)
        except Refused as refused:
            _refused_into(form, refused)
        else:
            return _after(request, pk, _("The request is decided."))
    return _page(request, pk, status=400, decision_form=form)
