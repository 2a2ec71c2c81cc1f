"""`baken access-review [--day YYYY-MM-DD]`: look for unusual reads in one day of the audit log
(default yesterday) and flag them for the privacy officer (oversight/review.py). Running it
again for a day adds no flag twice."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from baken.accounts.models import User
from baken.core import dates
from baken.oversight.models import FlagKind
from baken.oversight.review import run


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--day {text!r}: write a day as YYYY-MM-DD, e.g. 2026-12-05.") from None
    if not dates.in_range(day):
        raise CommandError(f"--day {text}: choose a day between 2000 and 2100.")
    return day


def _who(user: User | None) -> str:
    """The user as the audit log page names them: full name and username."""
    if user is None:
        return "onbekende gebruiker"
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else user.username


class Command(BaseCommand):
    help = (
        "Access review: flag the unusual reads of one day of the audit log (default "
        "yesterday) for the privacy officer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", type=_day, help="the day to look at, YYYY-MM-DD")

    def handle(self, *args, day=None, **options):
        outcome = run(day)
        with translation.override("nl"):
            self.stdout.write(
                f"Toegangscontrole van {dates.long(outcome.day)}: "
                f"{len(outcome.new)} nieuwe signalen, {outcome.updated} bijgewerkt, "
                f"{outcome.unchanged} al bekend."
            )
            users = User.objects.in_bulk({flag.user_id for flag in outcome.new})
            for flag in outcome.new:
                self.stdout.write(f"- {FlagKind(flag.kind).label}: {_who(users.get(flag.user_id))}")
