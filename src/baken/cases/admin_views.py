"""The functional administrator's pages for cases: case types and their versions (stages,
criteria, results), the intervention catalogue and the sources.

A new version is a draft, one per case type at a time: it is changed here and starts no
case until it is published. A published version is frozen, whether or not a case uses it
yet; a change is made in a new version (ADR 0012). A removal and publishing are asked again
on a page of their own before they happen. A form with a mistake comes back as it was
typed, with its errors."""

import secrets

from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baken.accounts.decorators import capability_required
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.roles import Capability
from baken.reports.access import int_or_404

from . import services
from .admin_changes import (
    criterion_of,
    result_removal_problem,
    stage_of,
    stage_removal_problem,
    version_change,
)
from .admin_forms import (
    Bound,
    CriterionForm,
    InterventionBasisForm,
    InterventionTypeForm,
    ResultForm,
    SourceForm,
    StageForm,
    bind,
    form_for,
)
from .models import (
    Case,
    CaseType,
    CaseTypeVersion,
    InterventionType,
    Source,
    StageCriterion,
)

CONFIGURE = Capability.CONFIGURE


# The case types page: versions and the catalogue.


@capability_required(CONFIGURE)
def case_types(request):
    return _case_types_page(request)


def _case_types_page(request, bound: Bound | None = None):
    versions = list(
        CaseTypeVersion.objects.select_related("case_type", "created_by", "published_by")
        .annotate(used=Exists(Case.objects.filter(version=OuterRef("pk"))))
        .order_by("case_type__name", "-number")
    )
    kinds = InterventionType.objects.all()
    return render(
        request,
        "cases/admin/case_types.html",
        {
            "versions": versions,
            "intervention_types": [
                (t, form_for(InterventionBasisForm, f"it-{t.pk}", bound, **_basis(t)))
                for t in kinds
            ],
            "intervention_form": form_for(InterventionTypeForm, "interventies-new", bound),
            "sources": Source.objects.all(),
            "source_form": form_for(SourceForm, "bronnen-new", bound),
            "failed": bound[1] if bound else None,
        },
        status=400 if bound else 200,
    )


def _basis(kind: InterventionType) -> dict:
    return {"legal_basis": kind.legal_basis, "responsible": kind.responsible}


@capability_required(CONFIGURE)
@require_POST
def version_new(request, type_pk: int):
    """A draft copy of the newest version; refused while the case type has a draft."""
    case_type = get_object_or_404(CaseType, pk=type_pk)
    with transaction.atomic():
        # Under the case type's lock: two clicks make one draft, not two.
        CaseType.objects.select_for_update().get(pk=case_type.pk)
        draft = case_type.versions.filter(published_at__isnull=True).first()
        if draft is None:
            version = services.case_type_new_version(
                case_type=case_type, actor=request.user, note=request.POST.get("note", "")[:500]
            )
    if draft is not None:
        messages.error(
            request,
            _("Version %(n)s is still a draft: change and publish it before making another.")
            % {"n": draft.number},
        )
        return redirect("cases:version", pk=draft.pk)
    messages.success(
        request,
        _("Version %(n)s was made as a draft: change it, then publish it for new cases.")
        % {"n": version.number},
    )
    return redirect("cases:version", pk=version.pk)


_ADDED = {"interventies": AuditAction.INTERVENTIES_ADD, "bronnen": AuditAction.BRONNEN_ADD}
_TOGGLED = {
    "interventies": AuditAction.INTERVENTIES_TOGGLE,
    "bronnen": AuditAction.BRONNEN_TOGGLE,
}


@capability_required(CONFIGURE)
@require_POST
def catalogue_add(request, kind: str):
    """Add an intervention type (with its legal basis) or a source; switch one off or on;
    change an intervention type's legal basis or who is responsible."""
    models: dict[str, type[InterventionType] | type[Source]] = {
        "interventies": InterventionType,
        "bronnen": Source,
    }
    model = models.get(kind)
    if model is None:
        raise Http404
    if pk := request.POST.get("toggle"):
        return _toggle(request, model, kind, int_or_404(pk))
    if model is InterventionType and (pk := request.POST.get("edit")):
        return _intervention_type_change(request, int_or_404(pk))
    form = bind(
        InterventionTypeForm if model is InterventionType else SourceForm,
        f"{kind}-new",
        request.POST,
    )
    if not form.is_valid():
        return _case_types_page(request, bound=(f"{kind}-new", form))
    with transaction.atomic():
        fields = {**form.cleaned_data, "position": model.objects.count() + 1}
        code = f"{kind[:-1]}-{model.objects.count() + 1}-{secrets.token_hex(3)}"
        item = model.objects.create(code=code, **fields)
        audit_record(actor=request.user, action=_ADDED[kind], detail={"id": item.pk})
    messages.success(request, _("It was added."))
    return redirect("cases:case_types")


def _toggle(request, model, kind: str, pk: int):
    with transaction.atomic():
        found = model.objects.select_for_update().filter(pk=pk).first()
        if found is None:
            raise Http404
        found.is_active = not found.is_active
        found.save(update_fields=["is_active"])
        audit_record(actor=request.user, action=_TOGGLED[kind], detail={"id": found.pk})
    return redirect("cases:case_types")


def _intervention_type_change(request, pk: int):
    """A new legal basis or responsible party for an intervention type, for interventions
    recorded from now on: those recorded earlier keep their own copy. The name stays, as the
    interventions of running and closed cases are shown by it; another name is another type
    (add it, and switch this one off)."""
    if not InterventionType.objects.filter(pk=pk).exists():
        raise Http404
    form = bind(InterventionBasisForm, f"it-{pk}", request.POST)
    if not form.is_valid():
        return _case_types_page(request, bound=(f"it-{pk}", form))
    with transaction.atomic():
        found = InterventionType.objects.select_for_update().filter(pk=pk).first()
        if found is None:
            raise Http404
        # Configuration, not personal data: the audit entry keeps both texts.
        detail = {"id": found.pk, **{f"{k}_before": v for k, v in _basis(found).items()}}
        found.legal_basis = form.cleaned_data["legal_basis"]
        found.responsible = form.cleaned_data["responsible"]
        found.save(update_fields=["legal_basis", "responsible"])
        audit_record(
            actor=request.user,
            action=AuditAction.INTERVENTIES_CHANGE,
            detail={**detail, **_basis(found)},
        )
    messages.success(request, _("The change was saved."))
    return redirect("cases:case_types")


# One version: its state, stages, criteria and results.


def _frozen_problem(version: CaseTypeVersion) -> str:
    """Why this version cannot change, or "" for a draft (which no case can use)."""
    if Case.objects.filter(version=version).exists():
        return _("Cases use this version: make a new version to change it.")
    if version.published_at is not None:
        return _("This version is published: make a new version to change it.")
    return ""


def _version_page(request, version: CaseTypeVersion, bound: Bound | None = None):
    stages: list[dict] = []
    for stage in version.stages.prefetch_related("criteria"):
        criteria = [
            (c, form_for(CriterionForm, f"crit-{c.pk}", bound, **_criterion_values(c)))
            for c in stage.criteria.all()
        ]
        new = form_for(
            CriterionForm, f"crit-new-{stage.pk}", bound, choices="ja, nee", mandatory=True
        )
        rename = form_for(StageForm, f"stage-{stage.pk}", bound, name=stage.name)
        stages.append({"stage": stage, "rename": rename, "criteria": criteria, "new": new})
    results = [
        (r, form_for(ResultForm, f"result-{r.pk}", bound, name=r.name))
        for r in version.results.all()
    ]
    problem = _frozen_problem(version)
    return render(
        request,
        "cases/admin/version.html",
        {
            "version": version,
            "editable": not problem,
            "used": Case.objects.filter(version=version).exists(),
            "stages": stages,
            "working": sum(not row["stage"].is_closed for row in stages),
            "new_stage": form_for(StageForm, "stage-new", bound),
            "results": results,
            "new_result": form_for(ResultForm, "result-new", bound),
            "failed": bound[1] if bound else None,
        },
        status=400 if bound else 200,
    )


def _criterion_values(c: StageCriterion) -> dict:
    return {
        "question": c.question,
        "choices": ", ".join(c.choices),
        "mandatory": c.mandatory,
        "fact": c.fact,
    }


_CONFIRMED = {"criterion_delete", "stage_delete", "result_delete", "publish"}


@capability_required(CONFIGURE)
def version(request, pk: int):
    version = get_object_or_404(
        CaseTypeVersion.objects.select_related("case_type", "published_by"), pk=pk
    )
    if request.method != "POST":
        return _version_page(request, version)
    action = request.POST.get("action", "")
    if problem := _frozen_problem(version):
        messages.error(request, problem)
        return redirect("cases:version", pk=pk)
    if action in _CONFIRMED and request.POST.get("confirmed") != "yes":
        return _confirm_page(request, version, action)
    with transaction.atomic():
        # Under the version's lock: a change and publishing never cross, and a version
        # that is published (or in use) no longer changes.
        locked = CaseTypeVersion.objects.select_for_update().select_related("case_type").get(pk=pk)
        outcome = _frozen_problem(locked) or version_change(request, locked, action)
        if outcome:
            transaction.set_rollback(True)
    if isinstance(outcome, tuple):
        return _version_page(request, version, bound=outcome)
    if outcome:
        messages.error(request, outcome)
    elif action == "publish":
        messages.success(
            request,
            _("Version %(n)s is published: new cases start with it.") % {"n": version.number},
        )
    else:
        messages.success(request, _("The change was saved."))
    return redirect("cases:version", pk=pk)


def _confirm_page(request, version: CaseTypeVersion, action: str):
    """The second step of a removal or of publishing, naming what it does; nothing changes
    until it is confirmed. What cannot be removed is refused here already."""
    data, hidden, details = request.POST, {}, []
    if action == "publish":
        question = _("Publish version %(n)s of %(type)s?") % {
            "n": version.number,
            "type": version.case_type.name,
        }
    elif action == "stage_delete":
        stage = stage_of(version, data)
        if problem := stage_removal_problem(version, stage):
            messages.error(request, problem)
            return redirect("cases:version", pk=version.pk)
        details = [c.question for c in stage.criteria.all()]
        question = _stage_removal_question(stage.name, len(details))
        hidden = {"stage": stage.pk}
    elif action == "criterion_delete":
        criterion = criterion_of(version, data)
        question = _("Remove criterion ‘%(question)s’?") % {"question": criterion.question}
        hidden = {"criterion": criterion.pk}
    else:
        result = get_object_or_404(version.results, pk=int_or_404(data.get("result")))
        if problem := result_removal_problem(version):
            messages.error(request, problem)
            return redirect("cases:version", pk=version.pk)
        question = _("Remove result ‘%(name)s’?") % {"name": result.name}
        hidden = {"result": result.pk}
    context = {"version": version, "action": action, "question": question}
    return render(
        request, "cases/admin/confirm.html", {**context, "hidden": hidden, "details": details}
    )


def _stage_removal_question(name: str, criteria: int) -> str:
    if criteria == 0:
        return _("Remove stage ‘%(name)s’? It has no criteria.") % {"name": name}
    if criteria == 1:
        return _("Remove stage ‘%(name)s’ with 1 criterion?") % {"name": name}
    return _("Remove stage ‘%(name)s’ with %(count)s criteria?") % {
        "name": name,
        "count": criteria,
    }
