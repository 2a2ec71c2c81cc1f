import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import SYSTEM
from baken.subjects import ftm
from baken.subjects.models import Relation, Subject
from baken.subjects.network import walk
from baken.subjects.relations import MAX_DEPTH


class Command(BaseCommand):
    help = (
        "Exports. `baken export ftm --subject ID [--depth N]` writes the network around a "
        "subject as FollowTheMoney entities, one JSON object a line, to stdout."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("ftm", help="FollowTheMoney entities (JSON lines) to stdout")
        export.add_argument("--subject", type=int, required=True, help="the subject's id")
        export.add_argument("--depth", type=int, default=1, help=f"steps out, 1 to {MAX_DEPTH}")

    def handle(self, *args, subcommand, subject: int, depth: int, **options):
        if not 1 <= depth <= MAX_DEPTH:
            raise CommandError(f"--depth must be between 1 and {MAX_DEPTH}.")
        start = Subject.objects.filter(pk=subject, merged_into__isnull=True).first()
        if start is None:
            raise CommandError(f"No subject {subject} (or it was merged into another).")
        # Run by an operator on the server (a privacy request, a hand-over to the RIEC that
        # the sharing register records): a system action over the whole register, not one
        # user's view — and so logged as the system's, with every subject it wrote.
        everything = Relation.objects.filter(
            source__merged_into__isnull=True, target__merged_into__isnull=True
        )
        with transaction.atomic():
            network = walk(subject=start, depth=depth, relations=everything)
            entities = ftm.entities(network)
            audit_record(
                actor=SYSTEM,
                action=AuditAction.SUBJECT_EXPORT_FTM,
                target=start,
                detail={"depth": depth, "ids": sorted(network.nodes)},
            )
        for entity in entities:
            self.stdout.write(json.dumps(entity, ensure_ascii=False, sort_keys=True))
