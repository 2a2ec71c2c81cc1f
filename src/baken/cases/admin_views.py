"""The functional administrator's pages for cases: case types and their versions (stages,
criteria, results), the intervention catalogue and the sources. A version in use by a case
is frozen; a change is made in a new version, which new cases start with."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baken.accounts.decorators import capability_required
from baken.accounts.roles import Capability
from baken.audit.services import audit_record
from baken.reports.access import int_or_404

from . import services
from .models import (
    Case,
    CaseResult,
    CaseType,
    CaseTypeVersion,
    InterventionType,
    Source,
    StageCriterion,
)

CONFIGURE = Capability.CONFIGURE


@capability_required(CONFIGURE)
def case_types(request):
    versions = CaseTypeVersion.objects.select_related("case_type", "created_by").order_by(
        "case_type__name", "-number"
    )
    used = set(Case.objects.values_list("version_id", flat=True).distinct())
    return render(
        request,
        "cases/admin/case_types.html",
        {
            "versions": [(v, v.pk in used) for v in versions],
            "intervention_types": InterventionType.objects.all(),
            "sources": Source.objects.all(),
        },
    )


@capability_required(CONFIGURE)
@require_POST
def version_new(request, type_pk: int):
    case_type = get_object_or_404(CaseType, pk=type_pk)
    version = services.case_type_new_version(
        case_type=case_type, actor=request.user, note=request.POST.get("note", "")
    )
    messages.success(
        request,
        _("Version %(n)s was made; change it before a case uses it.") % {"n": version.number},
    )
    return redirect("cases:version", pk=version.pk)


def _frozen(version: CaseTypeVersion) -> bool:
    return Case.objects.filter(version=version).exists()


@capability_required(CONFIGURE)
def version(request, pk: int):
    version = get_object_or_404(CaseTypeVersion.objects.select_related("case_type"), pk=pk)
    frozen = _frozen(version)
    if request.method == "POST":
        if frozen:
            messages.error(request, _("Cases use this version: make a new version to change it."))
            return redirect("cases:version", pk=pk)
        problem = _change(request, version)
        if problem:
            messages.error(request, problem)
        else:
            messages.success(request, _("The change was saved."))
        return redirect("cases:version", pk=pk)
    stages = version.stages.prefetch_related("criteria")
    return render(
        request,
        "cases/admin/version.html",
        {"version": version, "stages": stages, "frozen": frozen, "results": version.results.all()},
    )


def _choices(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def _change(request, version: CaseTypeVersion) -> str:
    """One change to an unused version; returns the problem, if any, in Dutch."""
    action = request.POST.get("action", "")
    with transaction.atomic():
        if action in ("criterion_save", "criterion_add"):
            question = request.POST.get("question", "").strip()
            choices = _choices(request.POST.get("choices", ""))
            if not question or len(choices) < 2:
                return _("Give the question and at least two answers, separated by commas.")
            fields = {
                "question": question[:300],
                "choices": choices,
                "mandatory": request.POST.get("mandatory") == "on",
            }
            if action == "criterion_save":
                criterion = get_object_or_404(
                    StageCriterion, pk=request.POST.get("criterion"), stage__version=version
                )
                for key, value in fields.items():
                    setattr(criterion, key, value)
                criterion.save()
            else:
                stage = get_object_or_404(version.stages, pk=request.POST.get("stage"))
                position = stage.criteria.count() + 1
                criterion = StageCriterion.objects.create(
                    stage=stage,
                    position=position,
                    code=f"criterium-{position}-{stage.pk}",
                    **fields,
                )
        elif action == "criterion_delete":
            criterion = get_object_or_404(
                StageCriterion, pk=request.POST.get("criterion"), stage__version=version
            )
            criterion.delete()
        elif action == "result_add":
            name = request.POST.get("name", "").strip()
            if not name:
                return _("Give the result a name.")
            CaseResult.objects.create(
                version=version,
                code=f"resultaat-{version.results.count() + 1}",
                name=name[:200],
                position=version.results.count() + 1,
            )
        else:
            return _("Unknown change.")
        audit_record(
            actor=request.user,
            action="case_type.change",
            target=version.case_type,
            detail={"version": version.number, "change": action},
        )
    return ""


@capability_required(CONFIGURE)
@require_POST
def catalogue_add(request, kind: str):
    """Add an intervention type or a source (name; for an intervention its legal basis and
    who is responsible); switch one off or on."""
    models: dict[str, type[InterventionType] | type[Source]] = {
        "interventies": InterventionType,
        "bronnen": Source,
    }
    model = models.get(kind)
    if model is None:
        return redirect("cases:case_types")
    with transaction.atomic():
        if pk := request.POST.get("toggle"):
            found = model.objects.filter(pk=int_or_404(pk)).first()
            if found is not None:
                found.is_active = not found.is_active
                found.save(update_fields=["is_active"])
                audit_record(actor=request.user, action=f"{kind}.toggle", detail={"id": found.pk})
            return redirect("cases:case_types")
        name = request.POST.get("name", "").strip()
        if not name:
            messages.error(request, _("Give a name."))
            return redirect("cases:case_types")
        fields = {"name": name[:200], "position": model.objects.count() + 1}
        if model is InterventionType:
            fields["legal_basis"] = request.POST.get("legal_basis", "").strip()[:300]
            fields["responsible"] = request.POST.get("responsible", "").strip()[:200]
        item = model.objects.create(code=f"{kind[:-1]}-{model.objects.count() + 1}", **fields)
        audit_record(actor=request.user, action=f"{kind}.add", detail={"id": item.pk})
    messages.success(request, _("It was added."))
    return redirect("cases:case_types")
