"""Every action the audit log records is a member of one registry (baken.audit.actions
.AuditAction) with a Dutch label, and the code names members instead of writing bare codes:
a new action without a label, or a typo in a code, fails here before a privacy officer ever
reads a bare or wrong code.
"""

import ast
from pathlib import Path

import pytest
from django.utils import translation

import baken
from baken.audit import labels
from baken.audit.actions import AuditAction
from baken.cases.models import DecisionKind
from baken.cases.services import DECISION_ACTIONS
from baken.core.actors import SYSTEM

SOURCE = Path(baken.__file__).parent
REGISTRY = SOURCE / "audit" / "actions.py"


def _sources():
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" not in path.parts and path != REGISTRY:
            yield path, ast.parse(path.read_text())


def test_every_action_has_a_dutch_label():
    untranslated = []
    for action in AuditAction:
        with translation.override("en"):
            english = str(action.label)
        with translation.override("nl"):
            dutch = labels.action_label(action.value)
        if not english or dutch == english or dutch == action.value:
            untranslated.append(action.value)
    assert not untranslated, f"actions without a Dutch label: {untranslated}"


def test_codes_stay_unique_and_readable():
    assert len(set(AuditAction.values)) == len(AuditAction)
    assert all(code == code.lower() and " " not in code for code in AuditAction.values)


def test_no_bare_action_code_remains_in_the_source():
    """Call sites name members (`AuditAction.REPORT_READ`); the codes live in the registry."""
    codes = {code for code in AuditAction.values if "." in code}
    bare = []
    for path, module in _sources():
        for node in ast.walk(module):
            if isinstance(node, ast.Constant) and node.value in codes:
                bare.append(f"{node.value} ({path.relative_to(SOURCE)}:{node.lineno})")
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "audit_record":
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(
                        keyword.value, ast.Constant | ast.JoinedStr
                    ):
                        bare.append(f"{ast.unparse(keyword.value)} ({path.name}:{node.lineno})")
    assert not bare, f"bare action codes; use baken.audit.actions.AuditAction: {bare}"


def test_every_kind_of_case_decision_is_an_action():
    # cases.services._decide writes one action per kind of decision.
    assert set(DECISION_ACTIONS) == set(DecisionKind.values)


def test_an_unknown_action_is_refused_with_its_code(db):
    from baken.audit.services import audit_record

    with pytest.raises(ValueError, match="report.reed"):
        audit_record(actor=SYSTEM, action="report.reed")  # a typo of report.read


def test_labels_are_dutch_and_the_codes_stay_readable_when_unknown():
    with translation.override("nl"):
        assert labels.action_label("report.read") == "Melding bekeken"
        assert labels.role_label("privacy_officer") == "Privacyfunctionaris"
        assert labels.object_type_label("reports.report") == "Melding"
        # An entry whose code left the registry still reads, as its code.
        assert labels.action_label("something.new") == "something.new"


def test_the_object_type_select_reads_as_names_in_order():
    # A search or the figures are no model, yet read in the select list like the others
    # (was "zoekopdracht" in lower case, sorted below "Weekoverzicht").
    from baken.auditlog.forms import AuditSearchForm

    types = ["subjects.search", "reports.report", "insights.figures"]
    with translation.override("nl"):
        form = AuditSearchForm(actions=[], object_types=types)
        shown = [str(label) for _value, label in form.fields["object_type"].choices][1:]
    assert shown == ["Cijfers", "Melding", "Zoekopdracht"]
