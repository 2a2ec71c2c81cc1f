"""What the Meldpunt tells: a named reporter that their report arrived (by e-mail, which says
that something happened, never what), and the team that the reporter wrote.

The acknowledgement is sent by the tasks worker (intake/tasks.py), enqueued in the report's
own transaction: the reporter's request never waits on the mail server, and the task exists
exactly when the report does. The task carries the report's id only; the address is read
from the encrypted contact details when the mail is sent.
"""

from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.notifications.kinds import Kind
from baken.notifications.services import notify
from baken.reports.keys import ReportKeyGone
from baken.reports.models import Message, Report
from baken.reports.reporter import reporter_notify
from baken.reports.selectors import report_list


def acknowledge(*, report_id: int) -> bool:
    """Tell a named reporter who may be contacted that their report arrived; False when there
    is nobody to tell (anonymous, no e-mail, no consent, or the report destroyed since)."""
    report = Report.objects.filter(pk=report_id).only("pk", "reference").first()
    if report is None:
        return False
    try:
        return reporter_notify(
            report=report,
            subject=_("Your report %(reference)s has been received")
            % {"reference": report.reference},
            template="intake/email/acknowledgement.txt",
        )
    except ReportKeyGone:
        return False


def team_notify_answer(*, report, actor) -> None:
    """Tell the staff who wait for the reporter (whoever asked the report's questions, and
    the report's person) that the reporter wrote, if they may still see the report. In the
    caller's transaction; the notification names nothing of the message."""
    askers = Message.objects.filter(
        report=report, author=Message.Author.TEAM, is_question=True, sender__isnull=False
    ).values("sender")
    candidates = User.objects.filter(pk__in=askers) | User.objects.filter(pk=report.assignee_id)
    concerned = [
        person
        for person in candidates.filter(is_active=True).distinct()
        if report_list(user=person).filter(pk=report.pk).exists()
    ]
    notify(
        kind=Kind.REPORTER_ANSWERED,
        users=concerned,
        object_id=report.pk,
        reference=report.reference,
        actor=actor,
    )
