"""The departments of the demo municipality Havenwaard (issue 17): the list the functional
administrator keeps (awareness/departments.py), a few of them small (fewer than 25 employees),
so the demo shows 'kleine afdeling' for their anonymous reports. Idempotent: a department that
exists (by code) is left as it is, so an administrator's change in the demo stays."""

from dataclasses import dataclass

from baken.reports.models import Department, DepartmentSize

SMALL, LARGE = DepartmentSize.SMALL, DepartmentSize.LARGE


@dataclass(frozen=True)
class DemoDepartment:
    code: str
    name: str
    size: str
    # How many of a hundred reports with a department come from it: the departments with
    # many employees in contact with residents and businesses report most.
    weight: int


# The codes are the slugs of the names, as the administrator's page makes them; the demo
# trainings (demo/trainings.py) name departments by these codes.
DEMO_DEPARTMENTS = [
    DemoDepartment("burgerzaken", "Burgerzaken", LARGE, 20),
    DemoDepartment("handhaving", "Handhaving", LARGE, 18),
    DemoDepartment("sociaal-domein", "Sociaal Domein", LARGE, 14),
    DemoDepartment("wijkteams", "Wijkteams", LARGE, 10),
    DemoDepartment("belastingen", "Belastingen", LARGE, 8),
    DemoDepartment("publiekszaken", "Publiekszaken", LARGE, 6),
    DemoDepartment("openbare-ruimte", "Openbare Ruimte", LARGE, 5),
    DemoDepartment("vergunningen", "Vergunningen", SMALL, 7),
    DemoDepartment("economische-zaken", "Economische Zaken", SMALL, 4),
    DemoDepartment("vastgoed", "Vastgoed", SMALL, 3),
    DemoDepartment("inkoop", "Inkoop", SMALL, 2),
    DemoDepartment("bibob-bureau", "Bibob-bureau", SMALL, 3),
]


def demo_departments() -> list[Department]:
    """Make the demo departments that are not there yet; returns all of them, in order."""
    codes = set(Department.objects.values_list("code", flat=True))
    names = {name.casefold() for name in Department.objects.values_list("name", flat=True)}
    Department.objects.bulk_create(
        Department(code=d.code, name=d.name, size=d.size, position=position)
        for position, d in enumerate(DEMO_DEPARTMENTS, start=1)
        if d.code not in codes and d.name.casefold() not in names
    )
    found = {d.code: d for d in Department.objects.filter(code__in=_codes())}
    return [found[d.code] for d in DEMO_DEPARTMENTS if d.code in found]


def _codes() -> list[str]:
    return [d.code for d in DEMO_DEPARTMENTS]
