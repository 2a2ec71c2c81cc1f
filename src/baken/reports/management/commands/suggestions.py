from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from baken.reports.suggestions import suggester_meta, suggester_train


class Command(BaseCommand):
    help = (
        "Category suggestions (ADR 0008). `baken suggestions train` learns from the weighed "
        "reports now; `enqueue` hands that to the background worker; `status` shows the model."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("train", help="learn from the weighed reports; exit 1 with too little data")
        sub.add_parser("enqueue", help="let the worker (`baken db_worker`) retrain")
        sub.add_parser("status", help="show the stored model's training metadata")

    def handle(self, *args, subcommand, **options):
        getattr(self, f"_{subcommand}")()

    def _train(self) -> None:
        result = suggester_train()
        if not result.trained:
            self.stderr.write(
                f"Too little data to learn category suggestions: {result.examples} weighed "
                f"reports in categories with at least {settings.SUGGESTION_MIN_PER_CATEGORY} "
                f"each; needed {settings.SUGGESTION_MIN_REPORTS} reports in at least "
                f"{max(2, settings.SUGGESTION_MIN_CATEGORIES)} such categories. "
                "No model is stored, so no suggestions are shown."
            )
            raise CommandError("not enough weighed reports", returncode=1)
        self.stdout.write(
            f"Category suggester trained on {result.examples} weighed reports in "
            f"{len(result.classes)} categories ({', '.join(result.classes)}).\n"
            f"Held-out accuracy {result.accuracy:.1%} (macro-F1 {result.macro_f1:.3f}); "
            f"always the most frequent category would score {result.baseline:.1%}.\n"
            f"Stored in {settings.SUGGESTION_MODEL_FILE}."
        )

    def _enqueue(self) -> None:
        from baken.reports.tasks import suggester_retrain

        result = suggester_retrain.enqueue()
        self.stdout.write(f"Retraining enqueued as task {result.id} ({result.status}).")

    def _status(self) -> None:
        meta = suggester_meta()
        if meta is None:
            self.stdout.write("No category suggester is stored: no suggestions are shown.")
            return
        self.stdout.write(
            f"Trained {meta['trained_at']} on {meta['examples']} reports, categories "
            f"{', '.join(meta['classes'])}; held-out accuracy {meta['accuracy']:.1%} "
            f"(most frequent category: {meta['baseline']:.1%})."
        )
