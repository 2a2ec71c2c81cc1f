"""The team's awareness home and its trainings (issue 17): the list, registering one, changing
and removing it. Analysts and team leads (Capability.INSIGHTS); thin views over trainings.py,
whose refusals come back at their fields with what was typed kept (status 400)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from baken.accounts.decorators import capability_required
from baken.core.dates import long
from baken.core.refusals import Refused
from baken.core.roles import Capability

from . import trainings
from .trainings import TrainingForm

# The other parts of the awareness work, each built on its own; a part whose route is not
# there (yet) is left out rather than linked to nothing.
PARTS = [
    (
        "awareness:figures",
        gettext_lazy("Figures"),
        gettext_lazy("Reports per department, before and after a training."),
    ),
    (
        "awareness:material",
        gettext_lazy("Material"),
        gettext_lazy("The poster, the pocket card, the slide and the intranet text."),
    ),
    (
        "awareness:practice_counts",
        gettext_lazy("Practice answers"),
        gettext_lazy("How employees answered the practice situations."),
    ),
    (
        "awareness:about",
        gettext_lazy("The page for employees"),
        gettext_lazy("What an employee reads about reporting a suspicion."),
    ),
]


def _parts() -> list[tuple[str, str, str]]:
    found = []
    for name, label, text in PARTS:
        try:
            found.append((reverse(name), str(label), str(text)))
        except NoReverseMatch:
            continue
    return found


@require_GET
@capability_required(Capability.INSIGHTS)
def home(request):
    today = timezone.localdate()
    every = list(trainings.training_list(actor=request.user))
    planned = sorted((t for t in every if trainings.is_planned(t, today)), key=lambda t: t.held_on)
    held = [t for t in every if not trainings.is_planned(t, today)]
    context = {
        "planned": planned,
        "held": held,
        # Fifty to a page: after some years of trainings the list stays readable.
        "page": Paginator(held, 50).get_page(request.GET.get("pagina")),
        "participants": sum(t.participants for t in held),
        "parts": _parts(),
    }
    return render(request, "awareness/trainings/home.html", context)


@require_http_methods(["GET", "POST"])
@capability_required(Capability.INSIGHTS)
def training_create(request):
    # An empty POST is a bound form with its errors, not a fresh one.
    form = TrainingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = trainings.training_create(actor=request.user, **form.cleaned_data)
        except Refused as refused:
            form.add_refusal(refused)
        else:
            messages.success(request, _saved(made, new=True))
            return redirect("awareness:home")
    status = 400 if form.is_bound else 200
    return render(request, "awareness/trainings/form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@capability_required(Capability.INSIGHTS)
def training(request, pk: int):
    item = trainings.training_get(actor=request.user, pk=pk)
    form = TrainingForm(request.POST if request.method == "POST" else None, training=item)
    if request.method == "POST" and form.is_valid():
        try:
            item = trainings.training_update(actor=request.user, pk=pk, **form.cleaned_data)
        except Refused as refused:
            form.add_refusal(refused)
        else:
            messages.success(request, _saved(item, new=False))
            return redirect("awareness:home")
    status = 400 if form.is_bound else 200
    context = {"form": form, "training": item}
    return render(request, "awareness/trainings/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@capability_required(Capability.INSIGHTS)
def training_delete(request, pk: int):
    item = trainings.training_get(actor=request.user, pk=pk)
    if request.method == "POST":
        trainings.training_delete(actor=request.user, pk=pk)
        messages.success(
            request,
            _("The training of %(date)s was removed.") % {"date": long(item.held_on)},
        )
        return redirect("awareness:home")
    return render(request, "awareness/trainings/delete.html", {"training": item})


def _saved(item, *, new: bool) -> str:
    values = {"date": long(item.held_on)}
    if trainings.is_planned(item):
        return _("The training planned on %(date)s was saved.") % values
    if new:
        return _("The training of %(date)s was registered.") % values
    return _("The training of %(date)s was saved.") % values
