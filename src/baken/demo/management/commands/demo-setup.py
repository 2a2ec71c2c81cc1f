from django.core.management.base import BaseCommand, CommandError

from baken.demo import municipality as demo
from baken.demo.departments import demo_departments
from baken.demo.reports import DemoReports, demo_register, parse_now
from baken.demo.rights import demo_requests
from baken.demo.subjects import demo_subjects
from baken.demo.trainings import demo_trainings
from baken.insights.overview import overview_build
from baken.insights.overview_week import Week
from baken.places.models import RegisteredAddress

DEMO_OVERVIEW_WEEKS = 4


class Command(BaseCommand):
    help = "Load the demo municipality once (teams, one user per role) and print its logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="the moment the demo reports are dated relative to, with its offset, e.g. "
            "2026-12-01T12:00:00+01:00 (default: now)",
        )

    def handle(self, *args, now=None, **options):
        try:
            moment = parse_now(now)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        created, credentials = demo.demo_load()
        # The municipality's departments (issue 17), before the reports and trainings that
        # name them; also for a demo loaded before it had them.
        demo_departments()
        if created:
            if not RegisteredAddress.objects.exists():
                RegisteredAddress.objects.bulk_create(demo_register(), batch_size=2000)
            DemoReports(seed=1, now=moment).create(demo.DEMO_REPORTS)
            # The weekly overviews of the last weeks, as the Monday task would have made them.
            last = Week.last_complete(moment)
            for weeks_back in range(DEMO_OVERVIEW_WEEKS):
                overview_build(week=last.minus(weeks_back))
        # Registered subjects and their network; also for a demo loaded before it had them.
        demo_subjects()
        # A request of a data subject for the privacy officer; also for an older demo.
        demo_requests()
        # The awareness trainings the team gave, for the demo departments (issue 17).
        demo_trainings()
        self.stdout.write(
            f"{demo.MUNICIPALITY}: demo " + ("loaded." if created else "already loaded.")
        )
        self.stdout.write(
            "Log in at http://127.0.0.1:8000 with a username and password below; for the code, "
            "add the secret to an authenticator app or run `.venv/bin/baken totp USERNAME`.\n"
        )
        self.stdout.write(f"{'username':16} {'role':16} {'password':14} authenticator secret")
        for row in credentials:
            self.stdout.write(
                f"{row['username']:16} {row['role']:16} {row['password']:14} {row['totp_secret']}"
            )
