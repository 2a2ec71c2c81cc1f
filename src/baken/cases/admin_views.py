"""The functional administrator's pages for cases: case types and their versions (stages,
criteria, results), the intervention catalogue and the sources.

A new version is a draft, one per case type at a time: it is changed here and starts no
case until it is published. A published version is frozen, whether or not a case uses it
yet; a change is made in a new version (ADR 0012). A removal and publishing are asked again
on a page of their own before they happen. A form with a mistake comes back as it was
typed, with its errors."""

import secrets

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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

# What a change ends in: None when done, a problem to tell (in Dutch), or the form that
# failed with the key of its place on the page.
Bound = tuple[str, forms.Form]
Outcome = None | str | Bound


def _choices(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


class CriterionForm(forms.Form):
    question = forms.CharField(
        label=gettext_lazy("Question"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Give the question.")},
    )
    choices = forms.CharField(
        label=gettext_lazy("Answers, separated by commas"),
        max_length=1000,
        error_messages={
            "required": gettext_lazy("Give at least two answers, separated by commas.")
        },
    )
    mandatory = forms.BooleanField(label=gettext_lazy("mandatory"), required=False)

    def clean_question(self) -> str:
        return " ".join(self.cleaned_data["question"].split())

    def clean_choices(self) -> list[str]:
        choices = _choices(self.cleaned_data["choices"])
        if len(choices) < 2:
            raise forms.ValidationError(_("Give at least two answers, separated by commas."))
        if len({c.casefold() for c in choices}) < len(choices):
            raise forms.ValidationError(_("Give each answer once."))
        if any(len(c) > 100 for c in choices):  # CaseAnswer.choice keeps up to 100
            raise forms.ValidationError(_("Keep each answer to 100 characters at most."))
        return choices


class StageForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the stage"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the stage a name.")},
    )


class ResultForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Result"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the result a name.")},
    )


class SourceForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give a name.")},
    )


class InterventionBasisForm(forms.Form):
    """An intervention rests on a law: without its article it cannot be accounted for
    (the catalogue follows the barrier model, e.g. a closure: Opiumwet art. 13b)."""

    legal_basis = forms.CharField(
        label=gettext_lazy("Legal basis"),
        max_length=300,
        help_text=gettext_lazy("The law and its article, e.g. Opiumwet art. 13b."),
        error_messages={
            "required": gettext_lazy(
                "Give the legal basis: the law and article the intervention rests on."
            )
        },
    )
    responsible = forms.CharField(label=gettext_lazy("Responsible"), max_length=200, required=False)


class InterventionTypeForm(SourceForm, InterventionBasisForm):
    field_order = ["name", "legal_basis", "responsible"]


def _form(cls: type[forms.Form], key: str, bound: Bound | None, **initial) -> forms.Form:
    """The form of one place on a page: the one that failed, with what was typed and its
    errors; otherwise one with the current values. `key` keeps its ids apart on the page."""
    if bound is not None and bound[0] == key:
        return bound[1]
    return cls(initial=initial, auto_id=f"{key}-%s")


def _bind(cls: type[forms.Form], key: str, data) -> forms.Form:
    return cls(data, auto_id=f"{key}-%s")


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
                (t, _form(InterventionBasisForm, f"it-{t.pk}", bound, **_basis(t))) for t in kinds
            ],
            "intervention_form": _form(InterventionTypeForm, "interventies-new", bound),
            "sources": Source.objects.all(),
            "source_form": _form(SourceForm, "bronnen-new", bound),
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
    form = _bind(
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
        audit_record(actor=request.user, action=f"{kind}.add", detail={"id": item.pk})
    messages.success(request, _("It was added."))
    return redirect("cases:case_types")


def _toggle(request, model, kind: str, pk: int):
    with transaction.atomic():
        found = model.objects.select_for_update().filter(pk=pk).first()
        if found is None:
            raise Http404
        found.is_active = not found.is_active
        found.save(update_fields=["is_active"])
        audit_record(actor=request.user, action=f"{kind}.toggle", detail={"id": found.pk})
    return redirect("cases:case_types")


def _intervention_type_change(request, pk: int):
    """A new legal basis or responsible party for an intervention type, for interventions
    recorded from now on: those recorded earlier keep their own copy. The name stays, as the
    interventions of running and closed cases are shown by it; another name is another type
    (add it, and switch this one off)."""
    if not InterventionType.objects.filter(pk=pk).exists():
        raise Http404
    form = _bind(InterventionBasisForm, f"it-{pk}", request.POST)
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
            actor=request.user, action="interventies.change", detail={**detail, **_basis(found)}
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
            (c, _form(CriterionForm, f"crit-{c.pk}", bound, **_criterion_values(c)))
            for c in stage.criteria.all()
        ]
        new = _form(CriterionForm, f"crit-new-{stage.pk}", bound, choices="ja, nee", mandatory=True)
        rename = _form(StageForm, f"stage-{stage.pk}", bound, name=stage.name)
        stages.append({"stage": stage, "rename": rename, "criteria": criteria, "new": new})
    results = [
        (r, _form(ResultForm, f"result-{r.pk}", bound, name=r.name)) for r in version.results.all()
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
            "new_stage": _form(StageForm, "stage-new", bound),
            "results": results,
            "new_result": _form(ResultForm, "result-new", bound),
            "failed": bound[1] if bound else None,
        },
        status=400 if bound else 200,
    )


def _criterion_values(c: StageCriterion) -> dict:
    return {"question": c.question, "choices": ", ".join(c.choices), "mandatory": c.mandatory}


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
        outcome = _frozen_problem(locked) or _change(request, locked, action)
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


def _change(request, version: CaseTypeVersion, action: str) -> Outcome:
    """One change to a draft, under its lock; audited when it is made."""
    if action == "publish":
        _publish(version=version, actor=request.user)
        return None
    kinds = {"criterion": _criterion_change, "stage": _stage_change, "result": _result_change}
    change = kinds.get(action.partition("_")[0])
    if change is None:
        return _("Unknown change.")
    outcome = change(version, action, request.POST)
    if outcome is None:
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
    return outcome


def _publish(*, version: CaseTypeVersion, actor) -> None:
    """From now on new cases start with this version (services.current_version), and it
    no longer changes. Precondition: the caller holds the version's row lock and checked
    that it is a draft."""
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["published_at", "published_by"])
    audit_record(
        actor=actor,
        action="case_type.publish",
        target=version.case_type,
        detail={"version": version.number},
    )


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
        stage = _stage_of(version, data)
        if problem := _stage_removal_problem(version, stage):
            messages.error(request, problem)
            return redirect("cases:version", pk=version.pk)
        details = [c.question for c in stage.criteria.all()]
        question = _stage_removal_question(stage.name, len(details))
        hidden = {"stage": stage.pk}
    elif action == "criterion_delete":
        criterion = _criterion_of(version, data)
        question = _("Remove criterion ‘%(question)s’?") % {"question": criterion.question}
        hidden = {"criterion": criterion.pk}
    else:
        result = get_object_or_404(version.results, pk=int_or_404(data.get("result")))
        if problem := _result_removal_problem(version):
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


def _stage_of(version: CaseTypeVersion, data) -> Stage:
    return get_object_or_404(version.stages, pk=int_or_404(data.get("stage")))


def _criterion_of(version: CaseTypeVersion, data) -> StageCriterion:
    return get_object_or_404(
        StageCriterion, pk=int_or_404(data.get("criterion")), stage__version=version
    )


def _stage_removal_problem(version: CaseTypeVersion, stage: Stage) -> str:
    if stage.is_closed:
        return _("The closing stage stays last.")
    if not version.stages.filter(is_closed=False).exclude(pk=stage.pk).exists():
        return _("A case type needs at least one stage before the closing one.")
    return ""


def _result_removal_problem(version: CaseTypeVersion) -> str:
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
        stage = _stage_of(version, data)
        form = _bind(CriterionForm, f"crit-new-{stage.pk}", data)
        if not form.is_valid():
            return (f"crit-new-{stage.pk}", form)
        StageCriterion.objects.create(
            stage=stage,
            position=stage.criteria.count() + 1,
            code=f"criterium-{secrets.token_hex(4)}",
            **form.cleaned_data,
        )
        return None
    criterion = _criterion_of(version, data)
    if action == "criterion_delete":
        stage = criterion.stage
        criterion.delete()
        _close_gaps(stage.criteria.all())
        return None
    if action != "criterion_save":
        return _("Unknown change.")
    form = _bind(CriterionForm, f"crit-{criterion.pk}", data)
    if not form.is_valid():
        return (f"crit-{criterion.pk}", form)
    for key, value in form.cleaned_data.items():
        setattr(criterion, key, value)
    criterion.save(update_fields=list(form.cleaned_data))
    return None


def _result_change(version: CaseTypeVersion, action: str, data) -> Outcome:
    if action == "result_add":
        form = _bind(ResultForm, "result-new", data)
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
        if problem := _result_removal_problem(version):
            return problem
        result.delete()
        _close_gaps(version.results.all())
        return None
    if action != "result_save":
        return _("Unknown change.")
    form = _bind(ResultForm, f"result-{result.pk}", data)
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
        form = _bind(StageForm, "stage-new", data)
        if not form.is_valid():
            return ("stage-new", form)
        _stage_add(version, closing, form.cleaned_data["name"])
        return None
    stage = next((s for s in stages if str(s.pk) == data.get("stage", "")), None)
    if stage is None:
        raise Http404
    if action == "stage_rename":
        form = _bind(StageForm, f"stage-{stage.pk}", data)
        if not form.is_valid():
            return (f"stage-{stage.pk}", form)
        stage.name = form.cleaned_data["name"]
        stage.save(update_fields=["name"])
        return None
    if action == "stage_delete":
        if problem := _stage_removal_problem(version, stage):
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
