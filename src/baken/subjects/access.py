"""The rule of who may write what about registered subjects, for the subjects app's services
(ADR 0027): each write service takes the actor and refuses on its own, so a management
command or another surface cannot skip the rule the pages and the API apply.

- not_found (404, core.refusals.Refused) when the actor may not know of a subject
  (selectors.subject_list: named in a report they may see) or of the report a named subject
  is in (reports.selectors.report_list) — exactly as for one that does not exist;
- forbidden (403) when they may know it but their role may not do the work
  (reports.permissions: Action.LINK to judge, register from a report and relate; Action.MERGE
  to merge and unmerge).

Pure checks: they record no read (the page or API call that looked the object up did).
Baken itself (core.actors.SYSTEM) may know no subject, so it is refused as not_found.
"""

from baken.accounts.models import User
from baken.core.refusals import Kind, Refused
from baken.reports.access import NOT_FOUND, refuse_unless
from baken.reports.selectors import report_list

from .models import Subject
from .selectors import subject_list


def not_found() -> Refused:
    return Refused(NOT_FOUND, kind=Kind.NOT_FOUND)


def require_report(actor: User, report_id: int) -> None:
    """Refuse (404) unless the actor may see the report."""
    if not report_list(user=actor).filter(pk=report_id).exists():
        raise not_found()


def known_subjects(actor: User, *subjects: Subject) -> set[int]:
    """The ids of `subjects` the actor may know of."""
    ids = {subject.pk for subject in subjects}
    visible = subject_list(user=actor).filter(pk__in=ids)
    return set(visible.values_list("pk", flat=True))


def require_subjects(actor: User, *subjects: Subject) -> None:
    """Refuse (404) unless the actor may know of every one of `subjects`."""
    if known_subjects(actor, *subjects) != {subject.pk for subject in subjects}:
        raise not_found()


def require_role(actor: User, action: str) -> None:
    """Refuse (403) unless the actor's role may do `action` (reports.permissions)."""
    refuse_unless(actor, action)
