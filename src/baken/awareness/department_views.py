"""The functional administrator's pages for the departments (issue 17): parse, call a service
of departments.py, render."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from baken.accounts.decorators import capability_required
from baken.core.refusals import Refused
from baken.core.roles import Capability
from baken.reports.models import Department

from .departments import (
    DepartmentForm,
    department_delete,
    department_list,
    department_save,
    is_used,
    only_small_department,
)


@capability_required(Capability.CONFIGURE)
def departments(request):
    listed = list(department_list(actor=request.user))
    return render(
        request,
        "awareness/departments/list.html",
        {"departments": listed, "only_small": only_small_department(listed)},
    )


@capability_required(Capability.CONFIGURE)
def department_edit(request, pk: int | None = None):
    department = get_object_or_404(Department, pk=pk) if pk else Department()
    used = is_used(department)
    form = DepartmentForm.of(department, request.POST if request.method == "POST" else None)
    if request.method == "POST" and "delete" in request.POST and department.pk:
        try:
            department_delete(actor=request.user, department=department)
        except Refused as refused:
            # Only a department reports name (since the page was shown) is refused here.
            for message in refused.messages_for_form():
                messages.error(request, message)
            return redirect("awareness:department_edit", pk=department.pk)
        else:
            messages.success(request, _("The department was removed."))
            return redirect("awareness:departments")
    elif request.method == "POST" and form.is_valid():
        try:
            department_save(
                actor=request.user,
                department=department if department.pk else None,
                **form.cleaned_data,
            )
        except Refused as refused:
            for field, problem in refused.problems.items():
                form.add_error(field if field in form.fields else None, str(problem))
        else:
            messages.success(request, _("The department was saved."))
            return redirect("awareness:departments")
    # A form shown again with its errors is a 400, as the other forms of the workspace.
    return render(
        request,
        "awareness/departments/form.html",
        {"form": form, "department": department, "used": used},
        status=400 if request.method == "POST" else 200,
    )
