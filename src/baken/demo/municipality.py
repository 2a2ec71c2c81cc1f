"""The demo municipality of `make run`: teams and one demo user per role.

Passwords and authenticator secrets are made randomly on first load and kept in
var/demo-credentials.json (never in the repository), so that every start can print them.
"""

import base64
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from baken.accounts import services as account_services
from baken.accounts.models import User
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.places.areas import DEMO_AREAS, areas_import, parse_areas
from baken.places.models import Area
from baken.reports.models import RoutingRule

MUNICIPALITY = "Gemeente Havenwaard"
# No look-alike characters (0/O, 1/l/I): demo passwords are read off a terminal and typed.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 (an alphabet, not a password)
TEAMS = ["OOV Havenwaard", "OOV Dorpen"]
DEMO_REPORTS = 300


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str
    team: str | None


DEMO_USERS = [
    DemoUser("intake", Role.INTAKE, "Ilse", "de Vries", TEAMS[0]),
    DemoUser("analist", Role.ANALYST, "Ahmed", "El Amrani", TEAMS[0]),
    DemoUser("regisseur", Role.CASE_HANDLER, "Carla", "Jansen", TEAMS[0]),
    DemoUser("teamleider", Role.TEAM_LEAD, "Tom", "van den Berg", TEAMS[0]),
    DemoUser("analist-dorpen", Role.ANALYST, "Daan", "Bakker", TEAMS[1]),
    DemoUser("management", Role.MANAGEMENT, "Marieke", "Smit", None),
    DemoUser("beheerder", Role.ADMIN, "Bram", "Visser", None),
    DemoUser("privacy", Role.PRIVACY_OFFICER, "Priya", "Mulder", None),
]


def credentials_path() -> Path:
    return settings.VAR_DIR / "demo-credentials.json"


def demo_load() -> tuple[bool, list[dict]]:
    """Create the demo teams and users once. Returns (created_now, credentials)."""
    path = credentials_path()
    if path.exists() and User.objects.filter(is_demo=True).exists():
        return False, json.loads(path.read_text())
    credentials = []
    with transaction.atomic():
        teams = {
            name: account_services.team_get_or_create(name=name, actor=SYSTEM) for name in TEAMS
        }
        for demo in DEMO_USERS:
            credentials.append(_demo_user(demo, teams))
        _demo_areas()
        _demo_routing(teams)
    path.write_text(json.dumps(credentials, indent=2))
    path.chmod(0o600)
    return True, credentials


def _demo_routing(teams: dict) -> None:
    """The town of Havenwaard (postcodes 178x) to its own team, the villages (179x) to the
    other: the routing rules a municipality with two area teams would start with. A report
    with only a point on the map (no postcode) is routed by the district it lies in."""
    areas = {area.code: area for area in Area.objects.all()}
    # The names say what the rules match (issue 12): a prefix matches every postcode that
    # starts with it, so 1790 AB goes to the villages' team, as "postcodes 179x" says.
    rules: list[tuple[str, dict[str, Any], str]] = [
        ("Havenwaard: postcodes 178x", {"postcode_prefix": "178"}, TEAMS[0]),
        ("Dorpen: postcodes 179x", {"postcode_prefix": "179"}, TEAMS[1]),
        ("Havenwaard: punt op de kaart in de wijk", {"area": areas.get("havenwaard")}, TEAMS[0]),
        ("Dorpen: punt op de kaart in de wijk", {"area": areas.get("dorpen")}, TEAMS[1]),
    ]
    old_names = {
        "Havenwaard (1781–1786)": rules[0][0],
        "Dorpen (1791–1795)": rules[1][0],
        "Havenwaard (op de kaart)": rules[2][0],
        "Dorpen (op de kaart)": rules[3][0],
    }
    for old, new in old_names.items():  # a demo installed before the names said it
        RoutingRule.objects.filter(name=old).update(name=new)
    for position, (name, condition, team) in enumerate(rules, start=1):
        if "area" in condition and condition["area"] is None:
            continue
        RoutingRule.objects.get_or_create(
            name=name, defaults={"position": position, "team": teams[team], **condition}
        )


def _demo_areas() -> None:
    """The two districts of the demo municipality, for the map and the area filters."""
    areas_import(areas=parse_areas(DEMO_AREAS.read_bytes()))


def _demo_user(demo: DemoUser, teams: dict) -> dict:
    password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(14))
    user = User.objects.filter(username=demo.username).first()
    if user is None:
        user = account_services.user_create(
            username=demo.username,
            role=demo.role,
            password=password,
            team=teams[demo.team] if demo.team else None,
            first_name=demo.first_name,
            last_name=demo.last_name,
            email=f"{demo.username}@havenwaard.example",
            is_demo=True,
            actor=SYSTEM,
        )
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    return {
        "username": user.username,
        "role": demo.role,
        "team": demo.team or "",
        "password": password,
        "totp_secret": base64.b32encode(device.bin_key).decode().rstrip("="),
    }
