"""Pages of the functional administrator for the category catalogue."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from baken.accounts.decorators import capability_required
from baken.core.roles import Capability
from baken.reports.models import Category

from .catalogue import CategoryForm, QuestionFormSet, category_save


@capability_required(Capability.CONFIGURE)
def category_list(request):
    categories = Category.objects.annotate(
        sign_count=Count("indicators", distinct=True),
        question_count=Count("questions", distinct=True),
    )
    return render(request, "intake/admin/categories.html", {"categories": categories})


@capability_required(Capability.CONFIGURE)
def category_edit(request, pk: int | None = None):
    category = get_object_or_404(Category, pk=pk) if pk else Category()
    form = CategoryForm(request.POST if request.method == "POST" else None, instance=category)
    questions = QuestionFormSet(
        request.POST if request.method == "POST" else None, instance=category, prefix="questions"
    )
    if request.method == "POST" and form.is_valid() and questions.is_valid():
        category_save(form=form, questions=questions, actor=request.user)
        messages.success(request, _("The category was saved."))
        return redirect("intake:categories")
    return render(
        request,
        "intake/admin/category_form.html",
        {"form": form, "questions": questions, "category": category},
    )
