"""The departments a reporter may name (issue 17, ADR 0034), kept by the functional
administrator beside the category catalogue: the form, the reads and the writes.

A department's code is made from its name when it is added and never changes afterwards:
integrators send it as `reporter.department`. A department that reports name is switched off,
never deleted (the reports keep pointing at it, and the 'kleine afdeling' rule needs its band).
"""

from django import forms
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.refusals import Kind, Refused
from baken.core.roles import Capability
from baken.reports.departments import SMALL_DEPARTMENT
from baken.reports.models import Department, DepartmentSize, Report

CODE_LENGTH = Department._meta.get_field("code").max_length or 64

# What the team sees in place of a small department's name (reports/departments.py), in
# English and Dutch: a department by that name would be taken for the protected value.
RESERVED_NAMES = frozenset({SMALL_DEPARTMENT, "kleine afdeling"})


class DepartmentForm(forms.Form):
    """What the administrator types; the rules on it are the services' (department_save)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    size = forms.ChoiceField(
        label=_("Size"),
        choices=DepartmentSize.choices,
        # Small is the safe choice for a hurried administrator: a large one named wrongly
        # would point at its reporters.
        initial=DepartmentSize.SMALL,
        widget=forms.RadioSelect,
        help_text=_(
            "A report from a small department, named or anonymous, is shown to the team as "
            "'small department' only: its name would point at the reporter."
        ),
    )
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=100_000,
        initial=0,
        help_text=_("Departments are listed by position, then by name."),
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("Reporters choose only from active departments."),
    )

    @classmethod
    def of(cls, department: Department, data=None) -> "DepartmentForm":
        initial = {
            "name": department.name,
            "size": department.size,
            "position": department.position,
            "is_active": department.is_active,
        }
        return cls(data, initial=initial if department.pk else None)


def department_list(*, actor) -> QuerySet[Department]:
    """Every department for the functional administrator, with `in_use`: whether any report
    names it (so it can only be switched off). Not a count: the administrator has no right
    to figures, and a live count per department would be one (the awareness figures are the
    team's, awareness/figures.py)."""
    _refuse_unless_administrator(actor)
    used = Report.objects.filter(department=OuterRef("pk"))
    return Department.objects.annotate(in_use=Exists(used)).order_by("position", "name")


def only_small_department(departments) -> Department | None:
    """The one active small department when there is exactly one, else None: then 'kleine
    afdeling' names it all the same, and the administrator is warned (ADR 0034)."""
    small = [d for d in departments if d.is_active and d.size == DepartmentSize.SMALL]
    return small[0] if len(small) == 1 else None


def active_departments() -> QuerySet[Department]:
    """What a reporter chooses from (the Meldpunt and GET /api/v1/departments)."""
    return Department.objects.filter(is_active=True)


def is_used(department: Department) -> bool:
    return department.pk is not None and department.reports.exists()


def _refuse_unless_administrator(actor) -> None:
    if not (actor.is_authenticated and actor.can(Capability.CONFIGURE)):
        raise Refused(
            "forbidden",
            _("Only the functional administrator keeps the departments."),
            kind=Kind.FORBIDDEN,
        )


def _check(*, name: str, size: str, position: int, department: Department | None) -> str:
    name = " ".join(name.split())
    others = Department.objects.exclude(pk=department.pk) if department else Department.objects
    problems = {}
    if not name:
        problems["name"] = _("Give the department's name.")
    elif len(name) > 200:
        problems["name"] = _("A department's name has at most 200 characters.")
    elif name.casefold() in RESERVED_NAMES:
        problems["name"] = _(
            "This name is reserved: the team sees 'small department' in place of a small "
            "department's name. Choose another name."
        )
    elif others.filter(name__iexact=name).exists():
        problems["name"] = _("There is already a department with this name.")
    if size not in DepartmentSize.values:
        problems["size"] = _("Choose small or large.")
    if not 0 <= position <= 100_000:
        problems["position"] = _("A position is a number from 0 to 100000.")
    if problems:
        raise Refused(problems=problems)
    return name


def _new_code(name: str) -> str:
    """A slug of the name, made unique with a number: 'vergunningen', 'vergunningen-2'."""
    base = slugify(name)[: CODE_LENGTH - 4].strip("-") or "afdeling"
    code, n = base, 1
    while Department.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def department_save(
    *,
    actor,
    name: str,
    size: str,
    position: int = 0,
    is_active: bool = True,
    department: Department | None = None,
) -> Department:
    """Add a department (`department` None) or change one; one audit entry, ids only.

    Changing the band from small to large does not reveal anything: each report keeps the
    band it had on arrival (Report.department_small, reports/departments.py).
    """
    _refuse_unless_administrator(actor)
    name = _check(name=name, size=size, position=position, department=department)
    with transaction.atomic():
        adding = department is None
        if department is None:
            department = Department(code=_new_code(name))
        else:
            department = Department.objects.select_for_update().get(pk=department.pk)
        department.name, department.size = name, size
        department.position, department.is_active = position, is_active
        department.full_clean()
        department.save()
        audit_record(
            actor=actor,
            action=AuditAction.DEPARTMENT_CREATE if adding else AuditAction.DEPARTMENT_UPDATE,
            target=department,
            detail={"size": department.size, "active": department.is_active},
        )
    return department


def department_delete(*, actor, department: Department) -> None:
    """Remove a department no report names; one that reports name can only be switched off."""
    _refuse_unless_administrator(actor)
    with transaction.atomic():
        locked = Department.objects.select_for_update().get(pk=department.pk)
        if locked.reports.exists():
            raise Refused(
                "department_used",
                _(
                    "Reports name this department, so it cannot be removed. Switch it off "
                    "instead: reporters no longer see it, and the reports keep it."
                ),
                kind=Kind.CONFLICT,
            )
        audit_record(actor=actor, action=AuditAction.DEPARTMENT_DELETE, target=locked)
        locked.delete()
