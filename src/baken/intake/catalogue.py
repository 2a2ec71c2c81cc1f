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
        _signs_replace(category, [text[:300] for text in signs])
        questions.instance = category
        questions.save()
        audit_record(
            actor=actor,
            action=AuditAction.CATEGORY_CREATE if adding else AuditAction.CATEGORY_UPDATE,
            target=category,
        )
    return category


def _signs_replace(category: Category, texts: list[str]) -> None:
    """The category's signs become `texts`, in that order. A sign whose text stays keeps its
    id: reports link the signs their reporter recognised, and a form opened before this save
    (or a report kept offline on a phone) still names them by id."""
    kept: dict[str, list[Indicator]] = {}
    for sign in category.indicators.all():
        kept.setdefault(sign.text, []).append(sign)
    for position, text in enumerate(texts, start=1):
        if kept.get(text):
            sign = kept[text].pop(0)
            if sign.position != position:
                sign.position = position
                sign.save(update_fields=["position"])
        else:
            Indicator.objects.create(category=category, text=text, position=position)
    gone = [sign.pk for signs in kept.values() for sign in signs]
    if gone:
        Indicator.objects.filter(pk__in=gone).delete()
