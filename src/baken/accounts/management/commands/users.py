import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from baken.accounts import services
from baken.accounts.models import User
from baken.core.actors import SYSTEM
from baken.core.refusals import Refused
from baken.core.roles import Role


class Command(BaseCommand):
    help = "Manage users. `baken users add USERNAME --role ROLE [--team TEAM] [--email E]`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        add = sub.add_parser("add", help="create a user (password from BAKEN_PASSWORD or a prompt)")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--team", help="team name; created when it does not exist yet")
        add.add_argument("--email", default="")
        add.add_argument("--first-name", default="")
        add.add_argument("--last-name", default="")

    def handle(self, *args, subcommand, **options):
        username = options["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        password = os.environ.get("BAKEN_PASSWORD") or self._prompt_password()
        team = None
        if options["team"]:
            team = services.team_get_or_create(name=options["team"], actor=SYSTEM)
        try:
            user = services.user_create(
                username=username,
                role=options["role"],
                password=password,
                team=team,
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                actor=SYSTEM,
            )
        except Refused as refused:
            raise CommandError("; ".join(refused.messages())) from refused
        self.stdout.write(
            f"Created {user.username} ({user.get_role_display()}"
            + (f", team {team.name}" if team else "")
            + "). A second factor is set up at the first login."
        )

    def _prompt_password(self) -> str:
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError(
                "No password given (set BAKEN_PASSWORD or answer the prompt)."
            ) from None
        if first != second:
            raise CommandError("The two passwords differ.")
        return first
