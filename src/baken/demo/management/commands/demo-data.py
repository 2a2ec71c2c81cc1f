import sys

from django.core.management.base import BaseCommand, CommandError

from baken.demo.reports import DemoReports, parse_now


class Command(BaseCommand):
    help = (
        "Add N synthetic reports of the demo municipality (deterministic for a seed and --now). "
        "Into a database that holds demo reports already, references that are taken are drawn "
        "again: a kept database grows with any seed (the database of DATABASE_URL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--photos", type=float, default=0.02, help="share of reports with a photo"
        )
        parser.add_argument(
            "--now",
            help="the moment the data is dated relative to, with its offset, e.g. "
            "2026-12-01T12:00:00+01:00 (default: now)",
        )

    def handle(self, *args, reports: int, seed: int, photos: float, now=None, **options):
        if reports < 0:
            raise CommandError("--reports must be zero or more.")
        try:
            moment = parse_now(now)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        def progress(done: int) -> None:
            sys.stderr.write(f"\r{done}/{reports} reports")
            sys.stderr.flush()

        demo = DemoReports(seed=seed, photo_share=photos, now=moment)
        made = demo.create(reports, progress=progress)
        sys.stderr.write("\n")
        self.stdout.write(
            f"{made} demo reports added (seed {seed}, dated relative to {demo.now.isoformat()})."
        )
