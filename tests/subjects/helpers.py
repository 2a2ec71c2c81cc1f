"""Subjects made visible to a user the way the workspace does it: named in a report the user
may see, judged the same (a Mention)."""

from django.utils import timezone

from baken.core.names import normalise_name
from baken.reports.models import Report, ReportSubject
from baken.subjects.models import Judgement, Mention, Relation, Subject
from tests.reports.test_triage import file_report


def team_report(team) -> Report:
    report = file_report()
    Report.objects.filter(pk=report.pk).update(team=team)
    return Report.objects.get(pk=report.pk)


def subject(name: str, kind: str = "person", *, report: Report | None = None, judge=None, **extra):
    made = Subject.objects.create(
        kind=kind,
        name=name,
        name_key=normalise_name(name, kind),
        created_at=timezone.now(),
        **extra,
    )
    if report is not None:
        named = ReportSubject.objects.create(report=report, kind=kind, name=name)
        Mention.objects.create(
            report_subject=named,
            subject=made,
            judgement=Judgement.SAME,
            judged_by=judge,
            judged_at=timezone.now(),
        )
    return made


def relation(source, target, kind, *, by, **extra) -> Relation:
    return Relation.objects.create(
        source=source,
        target=target,
        kind=kind,
        added_by=by,
        added_at=timezone.now(),
        source_registry=extra.pop("source_registry", "KvK"),
        **extra,
    )
