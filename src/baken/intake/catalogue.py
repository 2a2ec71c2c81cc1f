"""The functional administrator edits the category catalogue: categories, their signs and
their extra questions. A category that reports already use is switched off, not deleted."""

from django import forms
from django.db import transaction
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.reports.models import Category, Indicator, Question


class CategoryForm(forms.ModelForm):
    signs = forms.CharField(
        label=_("Recognisable signs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One sign per line. Reporters see them as the indicator guide."),
    )

    class Meta:
        model = Category
        fields = ["name", "code", "description", "deadline_days", "position", "is_active"]
        help_texts = {"code": _("Short name used by the API, e.g. 'drugs'. Lower case, no spaces.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["signs"].initial = "\n".join(
                self.instance.indicators.values_list("text", flat=True)
            )


class QuestionForm(forms.ModelForm):
    choices = forms.CharField(
        label=_("Options"),
        required=False,
        help_text=_("For 'one of a list': the options, separated by commas."),
    )

    class Meta:
        model = Question
        fields = ["code", "text", "kind", "choices", "required", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["choices"] = ", ".join(self.instance.choices)

    def clean_choices(self):
        return [part.strip() for part in self.cleaned_data["choices"].split(",") if part.strip()]

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("kind") == Question.Kind.CHOICE and not cleaned.get("choices"):
            self.add_error("choices", _("Give at least one option."))
        return cleaned


QuestionFormSet = inlineformset_factory(
    Category, Question, form=QuestionForm, extra=1, can_delete=True
)


def category_save(*, form: CategoryForm, questions, actor) -> Category:
    """Save the category, replace its signs, and save its questions; one audit entry."""
    adding = form.instance._state.adding
    with transaction.atomic():
        category = form.save()
        signs = [line.strip() for line in form.cleaned_data["signs"].splitlines() if line.strip()]
        category.indicators.all().delete()
        Indicator.objects.bulk_create(
            Indicator(category=category, text=text[:300], position=i)
            for i, text in enumerate(signs, start=1)
        )
        questions.instance = category
        questions.save()
        audit_record(
            actor=actor,
            action=AuditAction.CATEGORY_CREATE if adding else AuditAction.CATEGORY_UPDATE,
            target=category,
        )
    return category
