"""The subject page's relations panel (an htmx partial), adding and removing relations, and
the network page with its JSON (issue 5, items 3 and 5).

Thin views: `subject_get` gives 404 for a subject the user may not see, `permissions.can`
403 for a role that may not link, the services in relations.py do the rest. Without htmx
the panel is a page of its own and a POST is redirected back to it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baken.accounts.decorators import capability_required
from baken.audit.page_views import page_view_covers
from baken.audit.services import Target
from baken.core.roles import Capability
from baken.reports.permissions import Action, can

from .models import Relation, Subject
from .network import clamp_depth, network_json, network_of
from .relation_forms import RelationForm, candidates, ends
from .relations import RelationRefused, relation_add, relation_get, relation_remove, relations_of
from .selectors import subject_get


def subject_url(subject: Subject) -> str:
    """The subject page (built beside this module); the relations page until it exists."""
    try:
        return reverse("subjects:detail", args=[subject.pk])
    except NoReverseMatch:
        return reverse("subjects:relations", args=[subject.pk])


def _subject(request, pk: int, *, part: str = "", log: bool = True) -> Subject:
    """`part`: the panel of the subject page this request loads; it logs no second read when
    it carries the token of the page view that logged one (baken.audit.page_views)."""
    covered = bool(part) and page_view_covers(
        request, target=Target("subjects.subject", str(pk)), part=part
    )
    subject = subject_get(
        user=request.user, pk=pk, parts=[part] if part else None, log=log and not covered
    )
    if subject is None:
        raise Http404
    return subject


def _allowed(request) -> None:
    if not can(request.user, Action.LINK):
        raise PermissionDenied


def _panel(request, subject: Subject, *, form=None, done: str = "", errors=(), status=200):
    query = request.GET.get("q", "")
    context = {
        "subject": subject,
        "subject_url": subject_url(subject),
        "relations": [
            {"view": view, "url": subject_url(view.other)}
            for view in relations_of(user=request.user, subject=subject)
        ],
        "can_link": can(request.user, Action.LINK),
        "form": form or RelationForm(user=request.user, subject=subject, query=query),
        "query": query,
        "done": done,
        "errors": list(errors),
    }
    template = (
        "subjects/_relations.html"
        if request.headers.get("HX-Request")
        else ("subjects/relations.html")
    )
    return render(request, template, context, status=status)


@capability_required(Capability.WORKSPACE)
@require_GET
def relations(request, pk: int):
    return _panel(request, _subject(request, pk, part="relations"))


@capability_required(Capability.WORKSPACE)
@require_GET
def relation_candidates(request, pk: int):
    """The options of the "other subject" list, narrowed by a search (htmx)."""
    subject = _subject(request, pk)
    found = list(candidates(user=request.user, subject=subject, query=request.GET.get("q", "")))
    return render(request, "subjects/_relation_options.html", {"candidates": found})


def _answer(request, subject: Subject, *, done: str = "", errors=(), form=None):
    """htmx: the refreshed panel (200 even for a refusal: htmx swaps only successful answers,
    and the panel must say why). Otherwise the panel page: again with the reasons (400), or
    a redirect to it with a message."""
    errors = list(errors)
    if request.headers.get("HX-Request"):
        return _panel(request, subject, form=form, done=done, errors=errors)
    if errors:
        return _panel(request, subject, form=form, errors=errors, status=400)
    messages.success(request, done)
    return redirect("subjects:relations", pk=subject.pk)


@capability_required(Capability.WORKSPACE)
@require_POST
def add(request, pk: int):
    subject = _subject(request, pk)
    _allowed(request)
    form = RelationForm(request.POST, user=request.user, subject=subject)
    if not form.is_valid():
        errors = [e for field in form.errors.values() for e in field]
        return _answer(request, subject, errors=errors, form=form)
    data = form.cleaned_data
    source, target, kind = ends(subject=subject, other=data["other"], choice=data["kind"])
    try:
        relation_add(
            source=source,
            target=target,
            kind=kind,
            actor=request.user,
            start_date=data["start_date"],
            end_date=data["end_date"],
            source_report=data["source_report"],
            source_registry=data["source_registry"],
        )
    except RelationRefused as refused:
        return _answer(request, subject, errors=refused.problems.values(), form=form)
    done = _("The relation with %(other)s was added.") % {"other": data["other"].name}
    return _answer(request, subject, done=done)


@capability_required(Capability.WORKSPACE)
@require_POST
def remove(request, pk: int, relation_pk: int):
    subject = _subject(request, pk)
    relation = relation_get(user=request.user, pk=relation_pk)
    if relation is None or subject.pk not in (relation.source_id, relation.target_id):
        raise Http404
    _allowed(request)
    other = relation.target if relation.source_id == subject.pk else relation.source
    try:
        relation_remove(relation=relation, actor=request.user)
    except RelationRefused as refused:
        return _answer(request, subject, errors=refused.problems.values())
    done = _("The relation with %(other)s was removed.") % {"other": other.name}
    return _answer(request, subject, done=done)


# --- the network ---------------------------------------------------------------------------


@capability_required(Capability.WORKSPACE)
@require_GET
def network(request, pk: int):
    # One view, one read entry: network_of logs the read of every subject it shows.
    subject = _subject(request, pk, log=False)
    graph = network_of(user=request.user, subject=subject, depth=1)
    data = network_json(graph, subject_url=subject_url)
    strings = {
        "expand": _("Show neighbours"),
        "expanded": _("Neighbours of %(name)s shown."),
        "noPath": _("No path between these subjects in the network shown."),
        "path": _("Path: %(names)s"),
        "failed": _("The neighbours could not be loaded. Try again."),
        "outgoing": _("from"),
        "truncated": _("The network is larger than can be shown; not every neighbour is shown."),
    }
    context = {
        "subject": subject,
        "subject_url": subject_url(subject),
        "data": data,
        "strings": strings,
        "relation_kinds": Relation.Kind.choices,
        "subject_kinds": Subject.Kind.choices,
        "nodes": list(graph.nodes.values()),
        "edges": list(graph.edges.values()),
        "data_url": reverse("subjects:network_data", args=[subject.pk]),
    }
    return render(request, "subjects/network.html", context)


@capability_required(Capability.WORKSPACE)
@require_GET
def network_data(request, pk: int):
    subject = _subject(request, pk, log=False)  # network_of logs the read, as above
    graph = network_of(
        user=request.user, subject=subject, depth=clamp_depth(request.GET.get("depth"))
    )
    return JsonResponse(network_json(graph, subject_url=subject_url))
