import argparse
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from baken.audit import seals, tasks
from baken.audit.verification import Verdict, verify


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Audit log tools. `baken audit verify` checks the whole hash chain and its seals; "
        "`baken audit seal` writes yesterday's seal outside the database."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "verify",
            help="check the hash chain and every seal; exit 1 at the first broken entry or seal",
        )
        seal = sub.add_parser(
            "seal",
            help="write the seal of a day that has ended (default yesterday) under "
            "BAKEN_AUDIT_SEAL_DIR; a day already sealed is left as it is",
        )
        seal.add_argument("--date", type=_day, default=None, help="the day, YYYY-MM-DD")

    def handle(self, *args, subcommand, **options):
        if subcommand == "seal":
            self._seal(options["date"])
        else:
            self._verify()

    def _seal(self, day: date | None) -> None:
        try:
            sealing, mailed = tasks.seal(day)
        except seals.SealError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except seals.SealUnreadable as exc:
            raise CommandError(
                f"The day has a seal file that is no seal Baken wrote ({exc}); it is left as "
                "it is. Run `baken audit verify`.",
                returncode=1,
            ) from None
        found = sealing.seal
        what = "Sealed" if sealing.written else "Already sealed, left as it was:"
        self.stdout.write(
            f"{what} {found.day.isoformat()}: entry #{found.seq}, hash {found.hash}, "
            f"{found.entries} entries ({found.path})."
        )
        if mailed:
            self.stdout.write("Mailed to the privacy officer.")

    def _verify(self) -> None:
        verdict = verify()
        if not verdict.ok:
            self._report(verdict)
            raise CommandError("audit log verification failed", returncode=1)
        sealed = (
            f", and {verdict.seals} seals match it (latest {verdict.latest_seal.isoformat()}, "
            f"{seals.folder()})"
            if verdict.latest_seal
            else f"; no seals yet in {seals.folder()}"
        )
        self.stdout.write(f"Audit log intact: {verdict.checked} entries verified{sealed}.")

    def _report(self, verdict: Verdict) -> None:
        where = f" at entry #{verdict.broken_seq}" if verdict.broken_seq is not None else ""
        intact = (
            f"all {verdict.checked} entries pass the chain's own check, so the seal outside "
            "the database is what shows it"
            if verdict.by_seal
            else f"{verdict.checked} entries before it are intact"
        )
        self.stderr.write(f"Audit log broken{where}: {verdict.reason} ({intact}).")
        for problem in verdict.problems[1:]:
            self.stderr.write(f"Also: {problem}")
