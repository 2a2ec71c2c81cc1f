"""Flags and their audit entries as the privacy officer reads them: a sentence for what a flag
found, and each entry with who, what and when in words (audit/labels.py), the object by its
reference where it has one (a report M-…, a case Z-…) and otherwise by its kind and number.
A page of entries costs a fixed number of queries: the entries, their users, the reports and
the cases they name."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baken.accounts.models import User
from baken.audit import labels
from baken.audit.models import AuditEntry
from baken.cases.models import Case
from baken.reports.models import Report

from .models import AccessFlag, FlagKind

REPORT, CASE = "reports.report", "cases.case"


def flag_sentence(flag: AccessFlag) -> str:
    """What the flag found, in one sentence, from its figures."""
    f = flag.figures
    if flag.kind == FlagKind.MANY_READS:
        return _(
            "%(reports)d different reports opened within %(minutes)d minutes (the limit is "
            "%(threshold)d)."
        ) % {"reports": f["reports"], "minutes": f["minutes"], "threshold": f["threshold"]}
    if flag.kind == FlagKind.OUTSIDE_WORK:
        return ngettext(
            "%(reads)d read of %(reports)d report that was not of the user's team, not "
            "assigned to them and not in a case of theirs at that moment.",
            "%(reads)d reads of %(reports)d reports that were not of the user's team, not "
            "assigned to them and not in a case of theirs at that moment.",
            f["reports"],
        ) % {"reads": f["reads"], "reports": f["reports"]}
    if flag.kind == FlagKind.OFF_HOURS:
        if f.get("weekend"):
            return ngettext(
                "%(reads)d read on a Saturday or Sunday.",
                "%(reads)d reads on a Saturday or Sunday.",
                f["reads"],
            ) % {"reads": f["reads"]}
        return ngettext(
            "%(reads)d read at night (from %(start)d:00 until %(end)d:00).",
            "%(reads)d reads at night (from %(start)d:00 until %(end)d:00).",
            f["reads"],
        ) % {"reads": f["reads"], "start": f["night_from"], "end": f["night_until"]}
    if flag.kind == FlagKind.OWN_NAME:
        return ngettext(
            "%(reads)d read of a report or subject naming a person with the user's own "
            "surname (Baken knows no address of its users: only the surname is compared).",
            "%(reads)d reads of reports or subjects naming a person with the user's own "
            "surname (Baken knows no address of its users: only the surname is compared).",
            f["reads"],
        ) % {"reads": f["reads"]}
    if flag.kind == FlagKind.LARGE_EXPORT:
        return ngettext(
            "%(exports)d export of %(rows)d rows (the limit is %(threshold)d rows).",
            "%(exports)d exports, the largest of %(rows)d rows (the limit is %(threshold)d rows).",
            f["exports"],
        ) % {"exports": f["exports"], "rows": f["rows"], "threshold": f["threshold"]}
    return ""


@dataclass(frozen=True)
class EntryShown:
    seq: int
    at: object
    who: str
    role: str
    action: str
    action_code: str
    object: str
    object_type: str
    object_id: str
    details: list[str]


def _details(entry: AuditEntry) -> list[str]:
    detail = entry.detail or {}
    shown = []
    parts = detail.get("parts")
    if isinstance(parts, list):
        # In words from the audit log's own labels; a code it has no label for is not shown
        # as a code (a report page's cases and contact panels, a correction in a request).
        named = [labels.part_label(part) for part in parts if part in labels.PARTS]
        if named:
            if len(named) < len(parts):
                named.append(_("other parts"))
            shown.append(_("Parts shown: %(parts)s") % {"parts": ", ".join(named)})
    if isinstance(detail.get("rows"), int):
        shown.append(_("Rows: %(rows)d") % {"rows": detail["rows"]})
    if detail.get("reason") and isinstance(detail["reason"], str):
        shown.append(_("Reason given: %(reason)s") % {"reason": detail["reason"]})
    return shown


def entries_shown(seqs: list[int]) -> list[EntryShown]:
    entries = list(AuditEntry.objects.filter(seq__in=seqs).order_by("seq"))
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in={e.actor_id for e in entries if e.actor_id})
    }
    references: dict[tuple[str, str], str] = {}
    for model, code in ((Report, REPORT), (Case, CASE)):
        ids = {int(e.object_id) for e in entries if e.object_type == code and e.object_id.isdigit()}
        for pk, reference in model.objects.filter(pk__in=ids).values_list("pk", "reference"):
            references[(code, str(pk))] = reference
    shown = []
    for entry in entries:
        user = users.get(entry.actor_id) if entry.actor_id else None
        if entry.object_type:
            kind = labels.object_type_label(entry.object_type)
            known = references.get((entry.object_type, entry.object_id))
            if known:
                what = f"{kind} {known}"
            elif entry.object_type in (REPORT, CASE):
                what = _("%(kind)s #%(id)s (no longer there)") % {
                    "kind": kind,
                    "id": entry.object_id,
                }
            else:
                what = f"{kind} #{entry.object_id}"
        else:
            what = "—"
        shown.append(
            EntryShown(
                seq=entry.seq,
                at=entry.at,
                who=str(user) if user else labels.role_label(entry.actor_role),
                role=labels.role_label(entry.actor_role),
                action=labels.action_label(entry.action),
                action_code=entry.action,
                object=what,
                object_type=entry.object_type,
                object_id=entry.object_id,
                details=_details(entry),
            )
        )
    return shown
