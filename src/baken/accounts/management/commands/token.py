from django.core.management.base import BaseCommand, CommandError

from baken.accounts import services
from baken.accounts.models import User
from baken.core.actors import SYSTEM

CHANNELS = ["phone", "email", "partner", "import"]


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (shown once; only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument(
            "--channel",
            action="append",
            choices=CHANNELS,
            default=[],
            help="a report channel this token may submit for; repeat for more",
        )

    def handle(self, *args, username, name, channel, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        raw = services.token_create(user=user, actor=SYSTEM, name=name, channels=channel)
        self.stdout.write(raw)
