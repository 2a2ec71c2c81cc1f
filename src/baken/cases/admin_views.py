"""The functional administrator's pages for cases: case types and their versions (stages,
criteria, results), the intervention catalogue and the sources. A version in use by a case
is frozen; a change is made in a new version, which new cases start with."""

import secrets

from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.http import Http404
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
    Stage,
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
    kinds = {"criterion": _criterion_change, "stage": _stage_change, "result": _result_change}
    change = kinds.get(action.partition("_")[0])
    if change is None:
        return _("Unknown change.")
    with transaction.atomic():
        # Under the version's lock, which opening a case takes too: no case starts with it
        # between the check that none uses it and the change.
        CaseTypeVersion.objects.select_for_update().get(pk=version.pk)
        if _frozen(version):
            return _("Cases use this version: make a new version to change it.")
        problem = change(version, action, request.POST)
        if problem:
            transaction.set_rollback(True)
            return problem
        audit_record(
            actor=request.user,
            action="case_type.change",
            target=version.case_type,
            detail={
                "version": version.number,
                "change": action,
                # What it was done to, as the form named it (ids and the new text).
                **{
                    key: request.POST[key][:300]
                    for key in ("stage", "criterion", "result", "name", "question", "choices")
                    if request.POST.get(key)
                },
            },
        )
    return ""


def _close_gaps(rows) -> None:
    """Positions 1, 2, … again after a removal (criteria and results: no unique position)."""
    for position, row in enumerate(rows.order_by("position", "pk"), start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


def _criterion_change(version: CaseTypeVersion, action: str, data) -> str:
    if action == "criterion_delete":
        criterion = get_object_or_404(
            StageCriterion, pk=int_or_404(data.get("criterion")), stage__version=version
        )
        stage = criterion.stage
        criterion.delete()
        _close_gaps(stage.criteria.all())
        return ""
    question = data.get("question", "").strip()
    choices = _choices(data.get("choices", ""))
    if not question or len(choices) < 2:
        return _("Give the question and at least two answers, separated by commas.")
    fields = {
        "question": question[:300],
        "choices": choices,
        "mandatory": data.get("mandatory") == "on",
    }
    if action == "criterion_save":
        criterion = get_object_or_404(
            StageCriterion, pk=int_or_404(data.get("criterion")), stage__version=version
        )
        for key, value in fields.items():
            setattr(criterion, key, value)
        criterion.save()
    elif action == "criterion_add":
        stage = get_object_or_404(version.stages, pk=int_or_404(data.get("stage")))
        position = stage.criteria.count() + 1
        StageCriterion.objects.create(
            stage=stage, position=position, code=f"criterium-{secrets.token_hex(4)}", **fields
        )
    else:
        return _("Unknown change.")
    return ""


def _result_change(version: CaseTypeVersion, action: str, data) -> str:
    if action == "result_delete":
        result = get_object_or_404(version.results, pk=int_or_404(data.get("result")))
        if version.results.count() == 1:
            return _("A case type needs at least one result to close with.")
        result.delete()
        _close_gaps(version.results.all())
        return ""
    name = data.get("name", "").strip()
    if not name:
        return _("Give the result a name.")
    if action == "result_save":
        result = get_object_or_404(version.results, pk=int_or_404(data.get("result")))
        result.name = name[:200]
        result.save(update_fields=["name"])
    elif action == "result_add":
        CaseResult.objects.create(
            version=version,
            code=f"resultaat-{version.results.count() + 1}-{secrets.token_hex(3)}",
            name=name[:200],
            position=(version.results.aggregate(last=Max("position"))["last"] or 0) + 1,
        )
    else:
        return _("Unknown change.")
    return ""


def _stage_change(version: CaseTypeVersion, action: str, data) -> str:
    """Add, rename, move or remove a stage of an unused version. The closing stage stays
    last and cannot be moved or removed; at least one stage comes before it."""
    stages = list(version.stages.order_by("position"))
    closing = next(stage for stage in stages if stage.is_closed)
    working = [stage for stage in stages if not stage.is_closed]
    if action == "stage_add":
        return _stage_add(version, closing, data.get("name", "").strip())
    stage = next((s for s in stages if str(s.pk) == data.get("stage", "")), None)
    if stage is None:
        raise Http404
    if action == "stage_rename":
        name = data.get("name", "").strip()
        if not name:
            return _("Give the stage a name.")
        stage.name = name[:200]
        stage.save(update_fields=["name"])
        return ""
    if stage.is_closed:
        return _("The closing stage stays last.")
    if action == "stage_delete":
        if len(working) == 1:
            return _("A case type needs at least one stage before the closing one.")
        stage.delete()
        _renumber([s for s in stages if s.pk != stage.pk])
        return ""
    if action in ("stage_up", "stage_down"):
        index = working.index(stage)
        other = index - 1 if action == "stage_up" else index + 1
        if not 0 <= other < len(working):
            return _("The stage cannot move further.")
        working[index], working[other] = working[other], working[index]
        _renumber([*working, closing])
        return ""
    return _("Unknown change.")


def _stage_add(version: CaseTypeVersion, closing: Stage, name: str) -> str:
    """A new stage just before the closing one, which moves one place down."""
    if not name:
        return _("Give the stage a name.")
    position = closing.position
    closing.position = position + 1
    closing.save(update_fields=["position"])
    Stage.objects.create(
        version=version,
        position=position,
        code=f"fase-{position}-{secrets.token_hex(3)}",
        name=name[:200],
    )
    return ""


def _renumber(stages: list[Stage]) -> None:
    """Positions 1, 2, … in the given order; through positions past the end first, as the
    database keeps one stage per position at every moment."""
    offset = len(stages) + 1000
    for i, stage in enumerate(stages, start=1):
        stage.position = offset + i
        stage.save(update_fields=["position"])
    for i, stage in enumerate(stages, start=1):
        stage.position = i
        stage.save(update_fields=["position"])


def _intervention_type_change(request, pk: int):
    """A new legal basis or responsible party for an intervention type, for interventions
    recorded from now on: those recorded earlier keep their own copy. The name stays, as the
    interventions of running and closed cases are shown by it; another name is another type
    (add it, and switch this one off)."""
    found = InterventionType.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise Http404
    # Configuration, not personal data: the audit entry keeps both texts.
    detail = {"id": found.pk, "legal_basis_before": found.legal_basis}
    detail["responsible_before"] = found.responsible
    found.legal_basis = request.POST.get("legal_basis", "").strip()[:300]
    found.responsible = request.POST.get("responsible", "").strip()[:200]
    found.save(update_fields=["legal_basis", "responsible"])
    detail.update(legal_basis=found.legal_basis, responsible=found.responsible)
    audit_record(actor=request.user, action="interventies.change", detail=detail)
    messages.success(request, _("The change was saved."))
    return redirect("cases:case_types")


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
        if model is InterventionType and (pk := request.POST.get("edit")):
            return _intervention_type_change(request, int_or_404(pk))
        name = request.POST.get("name", "").strip()
        if not name:
            messages.error(request, _("Give a name."))
            return redirect("cases:case_types")
        fields = {"name": name[:200], "position": model.objects.count() + 1}
        if model is InterventionType:
            fields["legal_basis"] = request.POST.get("legal_basis", "").strip()[:300]
            fields["responsible"] = request.POST.get("responsible", "").strip()[:200]
        code = f"{kind[:-1]}-{model.objects.count() + 1}-{secrets.token_hex(3)}"
        item = model.objects.create(code=code, **fields)
        audit_record(actor=request.user, action=f"{kind}.add", detail={"id": item.pk})
    messages.success(request, _("It was added."))
    return redirect("cases:case_types")
