"""The awareness trainings the team registers (issue 17, ADR 0034): who may, what a training
must say, and the writes with their audit entries. The pages (training_views.py) and the API
(api/trainings.py) only parse and call these.

A training belongs to the municipality, not to a team: every analyst and team lead
(Capability.INSIGHTS) registers, changes and removes any of them — the team keeps one list of
what it gave, and whoever gave a session may correct it. Nothing here is personal data but the
trainer's name, so reading the list is not an audit entry; every write is.

A date in the future is allowed: a training the team has planned, shown apart as *gepland*
until its day has come, at most a year ahead (a later date is almost always a typing error).
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django import forms
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import Actor
from baken.core.dates import EARLIEST
from baken.core.refusals import Kind, Refused
from baken.core.roles import Capability
from baken.reports.models import Department

from .models import Training, TrainingFormat

FIELDS = ("held_on", "title", "departments", "participants", "format", "trainer", "notes")
# Enough for an e-learning that every employee of a large municipality followed; more is a
# typing error, and it keeps the number inside a database integer.
MAX_PARTICIPANTS = 100_000
PLANNED_AHEAD = timedelta(days=366)


def may_register(user) -> bool:
    return bool(user and user.is_authenticated and user.can(Capability.INSIGHTS))


def _require(actor: Actor) -> None:
    if not may_register(actor):
        raise Refused(
            "forbidden", _("Only analysts and team leads keep the trainings."), kind=Kind.FORBIDDEN
        )


# --- reading ---------------------------------------------------------------------------------


def training_list(*, actor: Actor) -> QuerySet[Training]:
    """Every training, newest first, with its departments in one more query."""
    _require(actor)
    return Training.objects.select_related("registered_by").prefetch_related("departments")


def training_get(*, actor: Actor, pk: int) -> Training:
    training = training_list(actor=actor).filter(pk=pk).first()
    if training is None:
        raise Refused("not_found", _("No such training."), kind=Kind.NOT_FOUND)
    return training


def is_planned(training: Training, today: date | None = None) -> bool:
    return training.held_on > (today or timezone.localdate())


def choosable_departments(training: Training | None = None) -> QuerySet[Department]:
    """The active departments, and those a training names already (a department switched off
    later stays on the trainings it had)."""
    active = Department.objects.filter(is_active=True)
    if training is None or training.pk is None:
        return active
    return (active | Department.objects.filter(trainings=training)).distinct()


# --- the rules of a training -----------------------------------------------------------------


def _date_problem(held_on: date | None):
    if held_on is None:
        return _("Give the date of the training.")
    if not EARLIEST <= held_on <= timezone.localdate() + PLANNED_AHEAD:
        return _("Choose a date from 2000 up to a year from now (a planned training).")
    return None


def _departments_problem(chosen: list[Department], kept: set[int]):
    if not chosen:
        return _("Choose at least one department.")
    if any(not d.is_active and d.pk not in kept for d in chosen):
        return _("A department that is switched off cannot be added.")
    return None


def _participants_problem(participants: int | None):
    if participants is None or participants < 1:
        return _("Give the number of participants: at least 1.")
    if participants > MAX_PARTICIPANTS:
        return _("Give a number of participants of at most 100,000.")
    return None


def _texts_problems(*, title: str, trainer: str, notes: str) -> dict[str, object]:
    problems: dict[str, object] = {}
    if len(title) > 200:
        problems["title"] = _("Keep the title under 200 characters.")
    if not trainer.strip():
        problems["trainer"] = _("Say who gave the training.")
    elif len(trainer.strip()) > 200:
        problems["trainer"] = _("Keep the trainer under 200 characters.")
    if len(notes) > 5000:
        problems["notes"] = _("Keep the notes under 5,000 characters.")
    return problems


def check_training(
    *,
    held_on: date | None,
    title: str,
    departments: Iterable[Department],
    participants: int | None,
    format: str,
    trainer: str,
    notes: str,
    kept: Iterable[int] = (),
) -> dict[str, object]:
    """What is wrong, by field (empty: nothing). `kept`: the ids of the departments the
    training names already, which may stay when they have been switched off since."""
    problems = {
        "held_on": _date_problem(held_on),
        "departments": _departments_problem(list(departments), set(kept)),
        "participants": _participants_problem(participants),
        "format": None
        if format in TrainingFormat.values
        else _("Choose the format from the list."),
    }
    found = {name: message for name, message in problems.items() if message is not None}
    return found | _texts_problems(title=title, trainer=trainer, notes=notes)


def _refuse_if(problems: dict[str, object]) -> None:
    if problems:
        raise Refused("training_invalid", problems=problems)  # type: ignore[arg-type]


def _codes(departments: Iterable[Department]) -> list[str]:
    return sorted(d.code for d in departments)


# --- the writes ------------------------------------------------------------------------------


def training_create(
    *,
    actor: User,
    held_on: date | None,
    departments: Iterable[Department],
    participants: int | None,
    format: str,
    trainer: str,
    title: str = "",
    notes: str = "",
) -> Training:
    """Register a training (given or planned) and its audit entry, in one transaction."""
    _require(actor)
    departments = list(departments)
    fields = {"held_on": held_on, "title": title.strip(), "participants": participants}
    fields |= {"format": format, "trainer": trainer.strip(), "notes": notes.strip()}
    _refuse_if(check_training(departments=departments, **fields))  # type: ignore[arg-type]
    with transaction.atomic():
        training = Training.objects.create(registered_by=actor, **fields)
        training.departments.set(departments)
        audit_record(
            actor=actor,
            action=AuditAction.TRAINING_CREATE,
            target=training,
            detail={
                "departments": _codes(departments),
                "participants": training.participants,
                "format": training.format,
            },
        )
    return training


def training_update(*, actor: Actor, pk: int, **changes: object) -> Training:
    """Change the fields given (the API's PATCH gives some, the page all); a change that
    changes nothing writes nothing. The row is locked, so two people saving at once are
    recorded one after the other."""
    _require(actor)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"Not a field of a training: {sorted(unknown)}")
    with transaction.atomic():
        training = Training.objects.select_for_update().filter(pk=pk).first()
        if training is None:
            raise Refused("not_found", _("No such training."), kind=Kind.NOT_FOUND)
        before = list(training.departments.all())
        now = {name: getattr(training, name) for name in FIELDS if name != "departments"}
        now["departments"] = before
        for name in ("title", "trainer", "notes"):
            if name in changes:
                changes[name] = str(changes[name]).strip()
        if "departments" in changes:
            changes["departments"] = list(changes["departments"])  # type: ignore[call-overload]
        now |= changes
        _refuse_if(check_training(kept=[d.pk for d in before], **now))
        changed = [
            name
            for name in FIELDS
            if (
                _codes(now[name]) != _codes(before)
                if name == "departments"
                else now[name] != getattr(training, name)
            )
        ]
        if not changed:
            return training
        for name in changed:
            if name != "departments":
                setattr(training, name, now[name])
        training.save()
        if "departments" in changed:
            training.departments.set(now["departments"])
        audit_record(
            actor=actor,
            action=AuditAction.TRAINING_UPDATE,
            target=training,
            detail={"fields": changed, "departments": _codes(now["departments"])},
        )
    return training


def training_delete(*, actor: Actor, pk: int) -> None:
    """Remove a training registered by mistake; the audit entry keeps its date and departments
    (no names), so the figures of that time can still be explained."""
    _require(actor)
    with transaction.atomic():
        training = Training.objects.select_for_update().filter(pk=pk).first()
        if training is None:
            raise Refused("not_found", _("No such training."), kind=Kind.NOT_FOUND)
        audit_record(
            actor=actor,
            action=AuditAction.TRAINING_DELETE,
            target=training,
            detail={
                "held_on": training.held_on.isoformat(),
                "departments": _codes(training.departments.all()),
                "participants": training.participants,
            },
        )
        training.delete()


# --- the page's form -------------------------------------------------------------------------

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class DepartmentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class TrainingForm(forms.Form):
    """What the team types; the rules are check_training's, shown at their fields."""

    held_on = forms.DateField(
        label=_("Date"),
        widget=DATE,
        error_messages={
            "required": _("Give the date of the training."),
            "invalid": _("Give a date such as 12-11-2026."),
        },
        help_text=_("A date in the future registers a planned training."),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("For example: Signalen herkennen aan de balie."),
    )
    departments = DepartmentChoices(
        queryset=Department.objects.none(),
        label=_("Departments"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one department."),
            "invalid_choice": _("Choose departments from the list."),
        },
    )
    participants = forms.IntegerField(
        label=_("Number of participants"),
        min_value=1,
        max_value=MAX_PARTICIPANTS,
        error_messages={
            "required": _("Give the number of participants: at least 1."),
            "invalid": _("Give the number of participants as a whole number."),
            "min_value": _("Give the number of participants: at least 1."),
            "max_value": _("Give a number of participants of at most 100,000."),
        },
        help_text=_("How many took part; never who."),
    )
    format = forms.ChoiceField(
        label=pgettext_lazy("training", "Format"),
        choices=TrainingFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the format from the list.")},
    )
    trainer = forms.CharField(
        label=_("Trainer"),
        max_length=200,
        error_messages={"required": _("Say who gave the training.")},
        help_text=_("A name, or the team that gave it."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What came up, questions to follow up. No names of participants."),
    )

    def __init__(self, *args, training: Training | None = None, **kwargs):
        if training is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(training, name) for name in FIELDS if name != "departments"},
                "departments": [d.code for d in training.departments.all()],
            }
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field = self.fields["departments"]
        field.queryset = choosable_departments(training)  # type: ignore[attr-defined]

    def add_refusal(self, refused: Refused) -> None:
        """The service's problems at their fields (a 404 or 403 is raised again)."""
        refused.messages_for_form()
        for name, message in refused.problems.items():
            self.add_error(name if name in self.fields else None, str(message))
