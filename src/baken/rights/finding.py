"""Find a person everywhere (issue 16): what Baken holds about one requester.

(First part: the labels of what can be found; the search follows.)
"""

from collections.abc import Callable

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from baken.cases.models import Case, Handover
from baken.core import dates
from baken.reports.models import Report
from baken.subjects.models import Relation, Subject

from .models import HitKind


def label_of(kind: str, object_id: int) -> str | None:
    """What an object is, in words (in the product's language, as a confirmed hit keeps it),
    or None when it is not there."""
    describe = _LABELS.get(kind)
    if describe is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        return describe(object_id)


def _subject_label(pk: int) -> str | None:
    subject = Subject.objects.filter(pk=pk).first()
    if subject is None:
        return None
    return _("%(kind)s %(name)s (#%(id)s)") % {
        "kind": subject.get_kind_display(),
        "name": subject.name,
        "id": subject.pk,
    }


def _report_label(pk: int) -> str | None:
    report = Report.objects.filter(pk=pk).first()
    if report is None:
        return None
    return _("Report %(reference)s of %(date)s") % {
        "reference": report.reference,
        "date": dates.long(timezone.localtime(report.received_at).date()),
    }


def _case_label(pk: int) -> str | None:
    case = Case.objects.filter(pk=pk).first()
    if case is None:
        return None
    return _("Case %(reference)s: %(title)s") % {"reference": case.reference, "title": case.title}


def _relation_label(pk: int) -> str | None:
    relation = Relation.objects.filter(pk=pk).select_related("source", "target").first()
    if relation is None:
        return None
    return _("Relation: %(source)s %(kind)s %(target)s") % {
        "source": relation.source.name,
        "kind": relation.get_kind_display(),
        "target": relation.target.name,
    }


def _handover_label(pk: int) -> str | None:
    handover = Handover.objects.filter(pk=pk).select_related("case").first()
    if handover is None:
        return None
    return _("Hand-over of case %(reference)s to %(recipient)s on %(date)s") % {
        "reference": handover.case.reference,
        "recipient": handover.recipient,
        "date": dates.long(timezone.localtime(handover.at).date()),
    }


_LABELS: dict[str, Callable[[int], str | None]] = {
    HitKind.SUBJECT: _subject_label,
    HitKind.REPORT: _report_label,
    HitKind.CASE: _case_label,
    HitKind.RELATION: _relation_label,
    HitKind.HANDOVER: _handover_label,
}
