"""The changes the functional administrator makes to a draft version of a case type:
stages, criteria and results added, renamed, moved and removed, and publishing (ADR 0012).
The caller (admin_views.version) holds the version's row lock and checked it is a draft."""

import secrets

from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.reports.access import int_or_404

from .admin_forms import (
    CriterionForm,
    Outcome,
    ResultForm,
    StageForm,
    bind,
)
from .models import (
    CaseResult,
    CaseTypeVersion,
    Stage,
    StageCriterion,
)


def version_change(request, version: CaseTypeVersion, action: str) -> Outcome:
    """One change to a draft, under its lock; audited when it is made."""
    if action == "publish":
        version_publish(version=version, actor=request.user)
        return None
    kinds = {"criterion": _criterion_change, "stage": _stage_change, "result": _result_change}
    change = kinds.get(action.partition("_")[0])
    if change is None:
        return _("Unknown change.")
    outcome = change(version, action, request.POST)
    if outcome is None:
        audit_record(
            actor=request.user,
            action=AuditAction.CASE_TYPE_CHANGE,
            target=version.case_type,
            detail={
                "version": version.number,
                "change": action,
                # What it was done to, as the form named it (ids and the new text).
                **{
                    key: request.POST[key][:300]
                    for key in (
                        "stage",
                        "criterion",
                        "result",
                        "name",
                        "question",
                        "choices",
                        "fact",
                    )
                    if request.POST.get(key)
                },
            },
        )
    return outcome


def version_publish(*, version: CaseTypeVersion, actor) -> None:
    """From now on new cases start with this version (services.current_version), and it
    no longer changes. Precondition: the caller holds the version's row lock and checked
    that it is a draft."""
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["published_at", "published_by"])
    audit_record(
        actor=actor,
        action=AuditAction.CASE_TYPE_PUBLISH,
        target=version.case_type,
        detail={"version": version.number},
    )


def stage_of(version: CaseTypeVersion, data) -> Stage:
    return get_object_or_404(version.stages, pk=int_or_404(data.get("stage")))


def criterion_of(version: CaseTypeVersion, data) -> StageCriterion:
    return get_object_or_404(
        StageCriterion, pk=int_or_404(data.get("criterion")), stage__version=version
    )


def stage_removal_problem(version: CaseTypeVersion, stage: Stage) -> str:
    if stage.is_closed:
        return _("The closing stage stays last.")
    if not version.stages.filter(is_closed=False).exclude(pk=stage.pk).exists():
        return _("A case type needs at least one stage before the closing one.")
    return ""


def result_removal_problem(version: CaseTypeVersion) -> str:
    if version.results.count() == 1:
        return _("A case type needs at least one result to close with.")
    return ""


def _close_gaps(rows) -> None:
    """Positions 1, 2, … again after a removal (criteria and results: no unique position)."""
    for position, row in enumerate(rows.order_by("position", "pk"), start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


def _criterion_change(version: CaseTypeVersion, action: str, data) -> Outcome:
    if action == "criterion_add":
        stage = stage_of(version, data)
        form = bind(CriterionForm, f"crit-new-{stage.pk}", data)
        if not form.is_valid():
            return (f"crit-new-{stage.pk}", form)
        StageCriterion.objects.create(
            stage=stage,
            position=stage.criteria.count() + 1,
            code=f"criterium-{secrets.token_hex(4)}",
            **form.cleaned_data,
        )
        return None
    criterion = criterion_of(version, data)
    if action == "criterion_delete":
        stage = criterion.stage
        criterion.delete()
        _close_gaps(stage.criteria.all())
        return None
    if action != "criterion_save":
        return _("Unknown change.")
    form = bind(CriterionForm, f"crit-{criterion.pk}", data)
    if not form.is_valid():
        return (f"crit-{criterion.pk}", form)
    for key, value in form.cleaned_data.items():
        setattr(criterion, key, value)
    criterion.save(update_fields=list(form.cleaned_data))
    return None


def _result_change(version: CaseTypeVersion, action: str, data) -> Outcome:
    if action == "result_add":
        form = bind(ResultForm, "result-new", data)
        if not form.is_valid():
            return ("result-new", form)
        CaseResult.objects.create(
            version=version,
            code=f"resultaat-{version.results.count() + 1}-{secrets.token_hex(3)}",
            name=form.cleaned_data["name"],
            position=(version.results.aggregate(last=Max("position"))["last"] or 0) + 1,
        )
        return None
    result = get_object_or_404(version.results, pk=int_or_404(data.get("result")))
    if action == "result_delete":
        if problem := result_removal_problem(version):
            return problem
        result.delete()
        _close_gaps(version.results.all())
        return None
    if action != "result_save":
        return _("Unknown change.")
    form = bind(ResultForm, f"result-{result.pk}", data)
    if not form.is_valid():
        return (f"result-{result.pk}", form)
    result.name = form.cleaned_data["name"]
    result.save(update_fields=["name"])
    return None


def _stage_change(version: CaseTypeVersion, action: str, data) -> Outcome:
    """Add, rename, move or remove a stage of a draft. The closing stage stays last and
    cannot be moved or removed; at least one stage comes before it."""
    stages = list(version.stages.order_by("position"))
    closing = next(stage for stage in stages if stage.is_closed)
    working = [stage for stage in stages if not stage.is_closed]
    if action == "stage_add":
        form = bind(StageForm, "stage-new", data)
        if not form.is_valid():
            return ("stage-new", form)
        _stage_add(version, closing, form.cleaned_data["name"])
        return None
    stage = next((s for s in stages if str(s.pk) == data.get("stage", "")), None)
    if stage is None:
        raise Http404
    if action == "stage_rename":
        form = bind(StageForm, f"stage-{stage.pk}", data)
        if not form.is_valid():
            return (f"stage-{stage.pk}", form)
        stage.name = form.cleaned_data["name"]
        stage.save(update_fields=["name"])
        return None
    if action == "stage_delete":
        if problem := stage_removal_problem(version, stage):
            return problem
        stage.delete()
        _renumber([s for s in stages if s.pk != stage.pk])
        return None
    if action in ("stage_up", "stage_down"):
        return _stage_move(stage, working, closing, up=action == "stage_up")
    return _("Unknown change.")


def _stage_move(stage: Stage, working: list[Stage], closing: Stage, *, up: bool) -> Outcome:
    if stage.is_closed:
        return _("The closing stage stays last.")
    index = working.index(stage)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(working):
        return _("The stage cannot move further.")
    working[index], working[other] = working[other], working[index]
    _renumber([*working, closing])
    return None


def _stage_add(version: CaseTypeVersion, closing: Stage, name: str) -> None:
    """A new stage just before the closing one, which moves one place down."""
    position = closing.position
    closing.position = position + 1
    closing.save(update_fields=["position"])
    Stage.objects.create(
        version=version,
        position=position,
        code=f"fase-{position}-{secrets.token_hex(3)}",
        name=name,
    )


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
