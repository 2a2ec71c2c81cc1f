"""The functional administrator configures the weighing criteria without code, per
municipality (docs/product.md#the-process)."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baken.accounts.decorators import capability_required
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.roles import Capability

from .models import Criterion


class CriterionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=gettext_lazy("Answers"),
        help_text=gettext_lazy(
            "The possible answers, separated by commas, e.g. ja, nee, onbekend."
        ),
        max_length=500,
    )

    class Meta:
        model = Criterion
        fields = ["weighing", "code", "question", "help_text", "mandatory", "position", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["choices_text"].initial = ", ".join(self.instance.choices)
        else:
            self.fields["choices_text"].initial = "ja, nee, onbekend"

    def clean_choices_text(self) -> list[str]:
        choices = [c.strip() for c in self.cleaned_data["choices_text"].split(",") if c.strip()]
        if len(choices) < 2:
            raise forms.ValidationError(_("Give at least two answers."))
        if len(set(choices)) != len(choices):
            raise forms.ValidationError(_("Each answer may appear only once."))
        return choices


def criterion_save(*, form: CriterionForm, actor) -> Criterion:
    adding = form.instance._state.adding
    with transaction.atomic():
        criterion = form.save(commit=False)
        criterion.choices = form.cleaned_data["choices_text"]
        criterion.save()
        audit_record(
            actor=actor,
            action=AuditAction.CRITERION_CREATE if adding else AuditAction.CRITERION_UPDATE,
            target=criterion,
        )
    return criterion


@capability_required(Capability.CONFIGURE)
def criterion_list(request):
    return render(request, "reports/admin/criteria.html", {"criteria": Criterion.objects.all()})


@capability_required(Capability.CONFIGURE)
def criterion_edit(request, pk: int | None = None):
    criterion = get_object_or_404(Criterion, pk=pk) if pk else Criterion()
    form = CriterionForm(request.POST if request.method == "POST" else None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        criterion_save(form=form, actor=request.user)
        messages.success(request, _("The criterion was saved."))
        return redirect("reports:criteria")
    return render(
        request, "reports/admin/criterion_form.html", {"form": form, "criterion": criterion}
    )
