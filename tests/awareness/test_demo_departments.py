"""The demo municipality's departments (issue 17): the demo setup loads them, a few small;
the demo report generator gives about 60% of its reports a department (anonymous ones too,
so the demo shows 'kleine afdeling') and about half of those with a category the signs their
reporter ticked — the same for the same seed."""

import io

import pytest
from django.core.management import call_command

from baken.cases.models import Case
from baken.demo.departments import DEMO_DEPARTMENTS
from baken.reports.models import Department, DepartmentSize, Report

pytestmark = pytest.mark.django_db


def demo_data(seed: int, count: int = 300) -> list[tuple]:
    out = io.StringIO()
    call_command("demo-data", "--reports", str(count), "--seed", str(seed), stdout=out, stderr=out)
    rows = Report.objects.order_by("reference")
    return [
        (
            r.reference,
            r.department.code if r.department else None,
            r.department_small,
            tuple(sorted(r.signs.values_list("pk", flat=True))),
        )
        for r in rows.select_related("department").prefetch_related("signs")
    ]


def test_the_demo_reports_name_departments_and_signs_deterministically():
    first = demo_data(seed=5)
    assert Department.objects.count() == len(DEMO_DEPARTMENTS)
    assert Department.objects.filter(size=DepartmentSize.SMALL).count() >= 4
    named = [row for row in first if row[1]]
    assert 0.5 < len(named) / len(first) < 0.7
    reports = Report.objects.select_related("department")
    small_anonymous = reports.filter(is_anonymous=True, department_small=True)
    assert small_anonymous.exists() and all(
        r.department.size == DepartmentSize.SMALL for r in small_anonymous
    )
    assert reports.filter(is_anonymous=False, department__isnull=False).exists()
    with_category = reports.filter(category__indicators__isnull=False).distinct()
    ticked = with_category.filter(signs__isnull=False).distinct().count()
    assert 0.35 < ticked / with_category.count() < 0.65
    for report in reports.filter(signs__isnull=False).prefetch_related("signs")[:50]:
        assert {s.category_id for s in report.signs.all()} == {report.category_id}
    Case.objects.all().delete()
    Report.objects.all().delete()
    assert demo_data(seed=5) == first
