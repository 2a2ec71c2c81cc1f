import sys

from django.core.management.base import BaseCommand, CommandError

from baken.demo.reports import DemoReports


class Command(BaseCommand):
    help = "Add N synthetic reports of the demo municipality (deterministic for a seed)."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--photos", type=float, default=0.02, help="share of reports with a photo"
        )

    def handle(self, *args, reports: int, seed: int, photos: float, **options):
        if reports < 0:
            raise CommandError("--reports must be zero or more.")

        def progress(done: int) -> None:
            sys.stderr.write(f"\r{done}/{reports} reports")
            sys.stderr.flush()

        made = DemoReports(seed=seed, photo_share=photos).create(reports, progress=progress)
        sys.stderr.write("\n")
        self.stdout.write(f"{made} demo reports added (seed {seed}).")
