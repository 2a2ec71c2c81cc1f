"""The quick form renderer (core/form_rendering.py) writes the HTML Django's templates write,
byte for byte, for every form of the report and case pages: empty, filled in, and sent back
with errors (issue 18)."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from baken.cases import forms as case_forms
from baken.core.form_rendering import QUICK
from baken.reports import forms as report_forms

pytestmark = pytest.mark.django_db

DJANGO = DjangoTemplates()


def _both(make) -> tuple[str, str]:
    quick, plain = make(), make()
    assert quick.renderer is QUICK
    plain.renderer = DJANGO
    return str(quick), str(plain)


def _improve(data=None):
    return report_forms.ImproveForm(
        data,
        initial={"description": 'Geur van "hennep" <achter> de schuur & de loods', "revision": 2},
        subjects=[("0", "Persoon: Jan <de Vries>"), ("1", "Voertuig: 12-AB-CD")],
    )


FORMS = {
    "improve": _improve,
    "improve, sent back": lambda: _improve({"description": "", "house_number": "nul", "x": "1"}),
    "note": lambda: report_forms.NoteForm(),
    "note, sent back": lambda: report_forms.NoteForm({"text": ""}),
    "question": lambda: report_forms.QuestionForm(),
    "decision": lambda: report_forms.DecisionForm(),
    "decision, waiting, sent back": lambda: report_forms.DecisionForm(
        {"kind": "nope"}, waiting=True
    ),
    "attachment": lambda: report_forms.AttachmentForm(),
    "case note": lambda: case_forms.NoteForm(prefix="note"),
    "case rationale, sent back": lambda: case_forms.RationaleForm({}, prefix="advance"),
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", list(FORMS))
def test_the_quick_renderer_writes_what_django_writes(name, language):
    with translation.override(language):
        quick, plain = _both(FORMS[name])
    assert quick == plain
    assert "<label" in quick


def test_labels_and_attributes_are_escaped_as_django_escapes_them():
    class Odd(forms.Form):
        default_renderer = QUICK
        name = forms.CharField(
            label='Naam <b>"vet"</b> & meer',
            help_text="Hulp <i>tekst</i>",
            widget=forms.TextInput(attrs={"data-x": '"<y>"', "autofocus": True, "hidden": False}),
        )
        agree = forms.BooleanField(label="Akkoord?", required=False)
        kind = forms.ChoiceField(choices=[("a", "A & B")], widget=forms.RadioSelect, label="Soort")

    quick, plain = _both(lambda: Odd({"name": "<script>", "kind": "z"}))
    assert quick == plain
    assert "&lt;b&gt;" in quick and "<script>" not in quick


def test_widgets_written_in_python_are_what_django_writes():
    """Inputs of every type, text areas and selects (with groups, several chosen, a value
    that needs escaping) are written in Python: the same bytes as Django's templates."""

    class Widgets(forms.Form):
        default_renderer = QUICK
        text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": 'a "b" <c>'}))
        number = forms.IntegerField()
        when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        at = forms.DateTimeField()
        mail = forms.EmailField(required=False)
        hidden = forms.CharField(widget=forms.HiddenInput)
        secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
        agree = forms.BooleanField(required=False)
        body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
        empty_body = forms.CharField(widget=forms.Textarea, required=False)
        kind = forms.ChoiceField(choices=[("", "—"), ("a", "A & B"), (3, "<drie>")])
        grouped = forms.ChoiceField(
            choices=[("Team", [("1", "Noord"), ("2", "Zuid")]), ("x", "Geen")]
        )
        many = forms.MultipleChoiceField(choices=[("p", "P"), ("q", "Q"), ("r", "R")])
        nothing = forms.ChoiceField(choices=[], required=False)

    data = {
        "text": '<script>"x"</script>',
        "number": "12",
        "when": "2026-12-05",
        "at": "2026-12-05 22:30",
        "hidden": "h&h",
        "secret": "p<w>",
        "agree": "on",
        "body": "Regel 1\n<b>vet</b> & meer",
        "kind": "3",
        "grouped": "2",
        "many": ["p", "r"],
    }
    for make in (Widgets, lambda: Widgets(data), lambda: Widgets({"number": "x"})):
        quick, plain = _both(make)
        assert quick == plain
        assert "<select" in quick and "<textarea" in quick and "<optgroup" in quick
    assert "selected>&lt;drie&gt;</option>" in str(Widgets(data))


def test_every_form_renders_with_the_quick_renderer():
    """Not only the report and case pages' forms: the inbox's filter, the Meldpunt's, any form."""

    class Any(forms.Form):
        name = forms.CharField()

    assert isinstance(Any().renderer, type(QUICK))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_labels_that_are_not_text_are_written_as_a_template_writes_them(language):
    """Numbers and moments as choice labels and group names: localized, in local time."""
    from datetime import UTC, date, datetime
    from decimal import Decimal

    class Labels(forms.Form):
        default_renderer = QUICK
        kind = forms.ChoiceField(
            choices=[
                (1, Decimal("1.5")),
                (2, 2.25),
                (3, date(2026, 12, 5)),
                (4, datetime(2026, 12, 5, 21, 30, tzinfo=UTC)),
                (Decimal("2.5"), [("q", "Q")]),
            ]
        )

    with translation.override(language):
        quick, plain = _both(Labels)
    assert quick == plain
    if language == "nl":
        assert ">1,5</option>" in quick and "5 december 2026 22:30" in quick
