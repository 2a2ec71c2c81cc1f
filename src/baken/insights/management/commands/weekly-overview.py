from django.core.management.base import BaseCommand, CommandError

from baken.insights.overview import OverviewRefused, overview_build, parse_week
from baken.insights.overview_mail import overview_send


class Command(BaseCommand):
    help = (
        "Build the weekly overview of one week (default: the last complete week) and, with "
        "--send, mail it to its subscribers. Building a week again gives the same figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--week", help="the ISO week, as YYYY-Www (e.g. 2026-W47)")
        parser.add_argument("--send", action="store_true", help="mail it to the subscribers")

    def handle(self, *args, week: str | None, send: bool, **options):
        try:
            built = overview_build(week=parse_week(week))
        except OverviewRefused as error:
            raise CommandError(str(error)) from None
        total = built.data["overall"]["reports"]["total"]
        self.stdout.write(f"Weekly overview {built.week} built: {total} new reports.")
        if send:
            self.stdout.write(f"{overview_send(overview=built)} e-mails sent.")
