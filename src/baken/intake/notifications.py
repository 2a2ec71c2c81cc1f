"""What the Meldpunt tells: a named reporter that their report arrived (by e-mail, which says
that something happened, never what), and the team that the reporter wrote.

The report is stored by the time the mail is sent (it is called on commit); see
`baken.reports.reporter.reporter_mail`.
"""

from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.notifications.kinds import Kind
from baken.notifications.services import notify
from baken.reports.models import Message
from baken.reports.reporter import reporter_mail
from baken.reports.selectors import report_list


def acknowledge(*, email: str, reference: str) -> None:
    """Tell a named reporter their report arrived."""
    reporter_mail(
        email=email,
        subject=_("Your report %(reference)s has been received") % {"reference": reference},
        template="intake/email/acknowledgement.txt",
        reference=reference,
    )


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
