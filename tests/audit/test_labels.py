"""Every action the code writes to the audit log has a Dutch label (baken.audit.labels).

The test reads the source: each `audit_record(..., action=...)` call, following an action
given as a conditional, a local variable or a parameter of a small helper (`_log(user,
"insights.hotspots", ...)`). A new action without a label fails here, before a privacy
officer ever reads a bare code.
"""

import ast
import re
from pathlib import Path

from django.utils import translation

import baken
from baken.audit import labels
from baken.cases.models import DecisionKind

SOURCE = Path(baken.__file__).parent


def _strings(node, func, module) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body, func, module) + _strings(node.orelse, func, module)
    if isinstance(node, ast.JoinedStr):
        return ["pattern:" + _pattern(node)]
    if isinstance(node, ast.Name) and func is not None:
        found = _assigned(node.id, func, module) + _passed(node.id, func, module)
        if found:
            return found
    raise AssertionError(f"cannot tell which action {ast.unparse(node)!r} writes")


def _assigned(name: str, func, module) -> list[str]:
    found = []
    for sub in ast.walk(func):
        if isinstance(sub, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in sub.targets
        ):
            found += _strings(sub.value, None, module)
    return found


def _passed(name: str, func, module) -> list[str]:
    """What the callers of a helper in the same module pass as its `name` parameter."""
    found = []
    positional = [a.arg for a in func.args.args]
    for call in ast.walk(module):
        if not (isinstance(call, ast.Call) and _name(call) == func.name):
            continue
        for keyword in call.keywords:
            if keyword.arg == name:
                found += _strings(keyword.value, None, module)
        if name in positional and len(call.args) > positional.index(name):
            found += _strings(call.args[positional.index(name)], None, module)
    return found


def _pattern(node: ast.JoinedStr) -> str:
    return "".join(
        re.escape(part.value) if isinstance(part, ast.Constant) else "[a-z_]+"
        for part in node.values
    )


def _name(call: ast.Call) -> str:
    return getattr(call.func, "id", getattr(call.func, "attr", ""))


def written_actions() -> dict[str, str]:
    actions: dict[str, str] = {}
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = ast.parse(path.read_text())
        for func in [n for n in ast.walk(module) if isinstance(n, ast.FunctionDef)]:
            for call in ast.walk(func):
                if not (isinstance(call, ast.Call) and _name(call) == "audit_record"):
                    continue
                for keyword in call.keywords:
                    if keyword.arg == "action":
                        for action in _strings(keyword.value, func, module):
                            actions.setdefault(action, str(path.relative_to(SOURCE)))
    return actions


def test_the_scan_finds_the_actions_it_should():
    actions = written_actions()
    assert {"report.read", "audit.search", "insights.hotspots", "routing_rule.create"} <= set(
        actions
    )
    assert len(actions) > 80


def test_every_action_the_code_writes_has_a_label():
    missing = []
    for action, where in written_actions().items():
        if action.startswith("pattern:"):
            pattern = action.removeprefix("pattern:")
            if not any(re.fullmatch(pattern, known) for known in labels.ACTIONS):
                missing.append(f"{pattern} ({where})")
        elif action not in labels.ACTIONS:
            missing.append(f"{action} ({where})")
    assert not missing, f"actions without a label in baken/audit/labels.py: {missing}"


def test_the_case_decisions_written_by_kind_have_labels():
    # cases.services._decide writes f"case.{kind}" for each kind of decision.
    assert {f"case.{kind}" for kind in DecisionKind.values} <= set(labels.ACTIONS)


def test_labels_are_dutch_and_the_codes_stay_readable_when_unknown():
    with translation.override("nl"):
        assert labels.action_label("report.read") == "Melding bekeken"
        assert labels.role_label("privacy_officer") == "Privacyfunctionaris"
        assert labels.object_type_label("reports.report") == "Melding"
        assert labels.action_label("something.new") == "something.new"


def test_the_object_type_select_reads_as_names_in_order():
    # A search or the figures are no model, yet read in the select list like the others
    # (was "zoekopdracht" in lower case, sorted below "Weekoverzicht").
    from baken.audit.forms import AuditSearchForm

    types = ["subjects.search", "reports.report", "insights.figures"]
    with translation.override("nl"):
        form = AuditSearchForm(actions=[], object_types=types)
        shown = [str(label) for _value, label in form.fields["object_type"].choices][1:]
    assert shown == ["Cijfers", "Melding", "Zoekopdracht"]
