"""The processing-register entry (verwerkingsregister, AVG art. 30 lid 1) for Baken as it is
installed, generated on each read from what the installation holds and how it is set up:

- the controller (BAKEN_MUNICIPALITY_NAME) and the privacy officer's contact
  (BAKEN_PRIVACY_OFFICER_EMAIL), each said to be unset when it is;
- the purposes: the categories of the catalogue in use and the case types;
- the categories of data, read from the models' own field names (a report, each kind of
  subject, a case, an employee), and the special data: criminal-law data (AVG art. 10) and
  the BSN (UAVG art. 46);
- the categories of people, with how many there are;
- the recipients: the kinds a hand-over or a decision names, and each recipient actually seen
  in the sharing register with its counts;
- the retention rules in force (privacy.selectors.rules_in_force);
- the security measures that the settings have on, and those they have off — never one that
  is off said to be on.

For the privacy officer and the functional administrator; each read (page, JSON, PDF) is an
audit entry. A page and a PDF (core.pdf.render_pdf), like the statement of destruction.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.cases.models import (
    Case,
    CaseNote,
    CaseType,
    Consultation,
    Handover,
    Intervention,
    RecipientKind,
    Source,
    Task,
)
from baken.core.actors import Actor
from baken.core.pdf import render_pdf
from baken.core.roles import Capability, Role
from baken.reports.models import (
    Attachment,
    Category,
    Decision,
    Message,
    Note,
    Report,
)
from baken.subjects.models import Subject

from .selectors import RuleShown, rules_in_force
from .sharing_register import DECISION_KINDS, DECISION_LABELS


def may_read(actor: Actor) -> bool:
    return bool(
        actor.is_authenticated and (actor.can(Capability.AUDIT) or actor.can(Capability.CONFIGURE))
    )


@dataclass(frozen=True)
class Item:
    """One line of the register: a name and what it says about it."""

    name: str
    text: str = ""


@dataclass(frozen=True)
class SeenRecipient:
    recipient: str
    kind: str  # a RecipientKind value, or forwarded / referred
    kind_label: str
    count: int
    last: datetime


@dataclass
class ProcessingRegister:
    made_at: datetime
    controller: str  # empty: BAKEN_MUNICIPALITY_NAME is not set
    privacy_officer: list[str]  # empty: BAKEN_PRIVACY_OFFICER_EMAIL is not set
    purpose: str
    categories: list[Item]
    case_types: list[Item]
    data: list[Item]
    special: list[Item]
    people: list[Item]
    recipient_kinds: list[Item]
    recipients: list[SeenRecipient]
    transfers: str
    rules: list[RuleShown]
    measures: list[Item]
    off: list[Item] = field(default_factory=list)


# --- categories of data, from the models ---------------------------------------------------


def _fields(model, names: list[str]) -> str:
    return ", ".join(str(model._meta.get_field(name).verbose_name) for name in names)


def _plural(model) -> str:
    return str(model._meta.verbose_name_plural)


_ADDRESS = ["street", "house_number", "postcode", "city"]
SUBJECT_FIELDS: dict[str, list[str]] = {
    Subject.Kind.PERSON: ["name", "birth_date", "bsn", *_ADDRESS],
    Subject.Kind.ORGANISATION: ["name", "kvk_number", "legal_form", "trade_names", *_ADDRESS],
    Subject.Kind.ADDRESS: [*_ADDRESS, "object_kind", "lat", "lon"],
    Subject.Kind.VEHICLE: ["license_plate", "make", "colour"],
}
REPORT_FIELDS = [
    "category",
    "description",
    "observed_start",
    "observed_end",
    *_ADDRESS,
    "lat",
    "lon",
    "location_description",
    "answers",
    "channel",
    "received_at",
]


def data_categories() -> list[Item]:
    report = _fields(Report, REPORT_FIELDS)
    items = [
        Item(_("Report"), report),
        Item(
            _("Around a report"),
            ", ".join(
                [
                    _plural(Attachment),
                    _("a named reporter's contact details (encrypted)"),
                    _plural(Message),
                    _plural(Note),
                    _plural(Decision),
                ]
            ),
        ),
    ]
    for kind, names in SUBJECT_FIELDS.items():
        label = Subject.Kind(kind).label
        items.append(Item(_("Subject: %(kind)s") % {"kind": label}, _fields(Subject, names)))
    items.append(
        Item(
            _("Case"),
            ", ".join(
                [
                    _fields(Case, ["title", "summary"]),
                    _plural(Consultation),
                    _plural(Intervention),
                    _plural(Handover),
                    _plural(CaseNote),
                    _plural(Task),
                ]
            ),
        )
    )
    items.append(
        Item(
            _("Employee"),
            _fields(User, ["first_name", "last_name", "username", "email", "role", "team"])
            + ", "
            + _("what they read and changed (the audit log)"),
        )
    )
    return items


def special_data() -> list[Item]:
    return [
        Item(
            _("Criminal-law data (AVG art. 10)"),
            _(
                "Reports and cases are about suspected undermining crime: signs of criminal "
                "behaviour of the people and organisations named."
            ),
        ),
        Item(
            _("Citizen service number (UAVG art. 46)"),
            _("The BSN of a person named in a report, when the reporter or the team gives it."),
        ),
        Item(
            _("Free text"),
            _(
                "A report's description, notes and messages may hold whatever a reporter or "
                "employee writes; Baken asks for no special categories of data (AVG art. 9)."
            ),
        ),
    ]


def people() -> list[Item]:
    reports = Report.objects.filter(merged_into__isnull=True)
    named = reports.filter(is_anonymous=False).count()
    anonymous = reports.filter(is_anonymous=True).count()
    subjects = dict(
        Subject.objects.filter(merged_into__isnull=True)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    staff = dict(
        User.objects.filter(is_active=True)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    counted = ", ".join(
        f"{_lower_first(str(Subject.Kind(kind).label))}: {subjects.get(kind, 0)}"
        for kind in Subject.Kind.values
    )
    roles = ", ".join(
        f"{_lower_first(str(Role(role).label))}: {n}" for role, n in sorted(staff.items()) if n
    )
    return [
        Item(
            _("Reporters who gave their name"),
            _("Contact details kept encrypted; reports: %(n)d") % {"n": named},
        ),
        Item(
            _("Anonymous reporters"),
            _("No name or contact details; reports: %(n)d") % {"n": anonymous},
        ),
        Item(_("People and organisations named in reports"), _("Registered: %s") % counted),
        Item(_("Employees using Baken"), _("Active accounts: %s") % (roles or "0")),
    ]


# --- recipients ------------------------------------------------------------------------------


def recipients_seen() -> list[SeenRecipient]:
    """Each recipient named in a hand-over or a forwarding decision, with how often and when
    last: one grouped query per kind."""
    kinds = dict(RecipientKind.choices)
    seen = [
        SeenRecipient(
            row["recipient"],
            row["recipient_kind"],
            str(kinds.get(row["recipient_kind"], row["recipient_kind"])),
            row["n"],
            row["last"],
        )
        for row in Handover.objects.values("recipient", "recipient_kind")
        .annotate(n=Count("pk"), last=Max("at"))
        .order_by()
    ]
    seen += [
        SeenRecipient(
            row["recipient"], row["kind"], str(DECISION_LABELS[row["kind"]]), row["n"], row["last"]
        )
        for row in Decision.objects.filter(kind__in=DECISION_KINDS)
        .values("recipient", "kind")
        .annotate(n=Count("pk"), last=Max("at"))
        .order_by()
    ]
    return sorted(seen, key=lambda s: (-s.count, s.recipient.casefold(), s.kind))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def recipient_kinds() -> list[Item]:
    """The kinds of recipients a hand-over names, and the two decisions that send a report out."""
    handed = ", ".join(_lower_first(str(label)) for _value, label in RecipientKind.choices)
    decided = "; ".join(_lower_first(str(label)) for label in DECISION_LABELS.values())
    handed, decided = handed[:1].upper() + handed[1:], decided[:1].upper() + decided[1:]
    return [Item(_("Hand-over from a case"), handed), Item(_("Decision on a report"), decided)]


# --- security measures, from the settings ------------------------------------------------


def _cron_on(name: str) -> bool:
    entry = settings.SCHEDULE.get(name) or {}
    return bool(str(entry.get("cron", "")).strip())


def _always() -> list[Item]:
    """What Baken does whatever its settings: built into the code."""
    return [
        Item(
            _("Encryption"),
            _(
                "A named reporter's contact details, the messages with the reporter and the "
                "attachments are encrypted under a key of the report's own; exports are "
                "encrypted with the data key, which is kept in a file outside the database."
            ),
        ),
        Item(
            _("Crypto-shredding"),
            _(
                "Destroying a report deletes its key: what was encrypted under it cannot be read "
                "any more, in this database and in every backup."
            ),
        ),
        Item(
            _("Sealed backups"),
            _(
                "A backup made with 'baken backup' seals the rows of each report, subject and "
                "case under its own key and writes the key store apart from the backup; a backup "
                "restored later brings back nothing destroyed since."
            ),
        ),
        Item(
            _("Tamper-evident audit log"),
            _(
                "Every read and change of personal data is an entry in an append-only log; "
                "each entry holds the hash of the one before it."
            ),
        ),
        Item(
            _("Need-to-know"),
            _(
                "An employee sees only the reports of their own team and the cases they work "
                "in; what they may not know answers as if it did not exist. Each role opens "
                "only its own parts of Baken."
            ),
        ),
        Item(
            _("Security headers"),
            _(
                "A content security policy without inline scripts, no framing by other sites, "
                "no caching of pages and a strict referrer policy."
            ),
        ),
    ]


def _sign_in() -> tuple[list[Item], list[Item]]:
    on: list[Item] = [
        Item(
            _("Second factor"),
            _("Signing in with a password asks for a code from an authenticator app as well."),
        ),
        Item(
            _("Lock-out"),
            ngettext(
                "An account is locked for %(minutes)d minutes after %(n)d failed sign-in.",
                "An account is locked for %(minutes)d minutes after %(n)d failed sign-ins.",
                settings.AXES_FAILURE_LIMIT,
            )
            % {
                "minutes": round(float(settings.AXES_COOLOFF_TIME) * 60),
                "n": settings.AXES_FAILURE_LIMIT,
            },
        ),
        Item(
            _("Sessions"),
            _(
                "A session ends after %(idle)d minutes without use, after %(max)d hours in any "
                "case, and when the browser closes."
            )
            % {
                "idle": settings.SESSION_IDLE_SECONDS // 60,
                "max": settings.SESSION_COOKIE_AGE // 3600,
            },
        ),
    ]
    off: list[Item] = []
    if settings.OIDC_ENABLED:
        text = _("Single sign-on with the municipality's identity provider (%(issuer)s).") % {
            "issuer": settings.OIDC_OP_ISSUER or settings.OIDC_OP_AUTHORIZATION_ENDPOINT
        }
        if settings.OIDC_LOCAL_LOGIN_ADMIN_ONLY:
            text += " " + _("Only the functional administrator signs in with a password.")
        on.append(Item(_("Single sign-on"), text))
    else:
        off.append(Item(_("Single sign-on"), _("Not set up: everyone signs in with a password.")))
    return on, off


def _transport() -> tuple[list[Item], list[Item]]:
    on: list[Item] = []
    off: list[Item] = []
    if getattr(settings, "SECURE_SSL_REDIRECT", False):
        on.append(Item(_("HTTPS"), _("Every request over plain HTTP is sent on to HTTPS.")))
    else:
        off.append(Item(_("HTTPS"), _("Baken does not send plain HTTP on to HTTPS itself.")))
    hsts = int(getattr(settings, "SECURE_HSTS_SECONDS", 0) or 0)
    if hsts:
        on.append(
            Item(
                _("HSTS"),
                _("Pages sent over HTTPS tell browsers to use only HTTPS for %(days)d days.")
                % {"days": hsts // 86400},
            )
        )
    else:
        off.append(Item(_("HSTS"), _("Browsers are not told to use only HTTPS.")))
    if getattr(settings, "SESSION_COOKIE_SECURE", False):
        on.append(Item(_("Cookies"), _("The session cookie is sent over HTTPS only.")))
    else:
        off.append(Item(_("Cookies"), _("The session cookie is sent over plain HTTP too.")))
    return on, off


def _scheduled() -> tuple[list[Item], list[Item]]:
    on: list[Item] = []
    off: list[Item] = []
    mail = settings.PRIVACY_OFFICER_EMAIL
    if _cron_on("audit-seal"):
        seal = _("Each day's audit entries are sealed every night in a file outside the database")
        seal += (
            _(", and the seal is mailed to the privacy officer.")
            if mail
            else _("; no mail address is set to send it to.")
        )
        on.append(Item(_("Daily seal of the audit log"), seal))
    else:
        off.append(Item(_("Daily seal of the audit log"), _("Switched off.")))
    if _cron_on("audit-verify"):
        on.append(
            Item(
                _("Nightly check of the audit log"),
                _("The chain and the seals are checked every night; a break raises an alarm."),
            )
        )
    else:
        off.append(Item(_("Nightly check of the audit log"), _("Switched off.")))
    if _cron_on("retention-run"):
        on.append(
            Item(
                _("Retention"),
                _("The retention periods of (f) are applied every night."),
            )
        )
    else:
        off.append(
            Item(_("Retention"), _("The nightly run is switched off: nothing is destroyed."))
        )
    return on, off


def _data_handling() -> list[Item]:
    items = [
        Item(
            _("Exports"),
            _("An export is deleted %(days)d days after it was made.")
            % {"days": settings.EXPORT_RETENTION_DAYS},
        ),
        Item(
            _("Small counts"),
            _("Figures for management show a count below %(n)d as '< %(n)d'.")
            % {"n": settings.INSIGHTS_SMALL_COUNT},
        ),
    ]
    if settings.RATELIMIT_ENABLE:
        items.append(
            Item(
                _("Rate limits"),
                _("The reporting page limits how often one client may send a report."),
            )
        )
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        items.append(
            Item(
                _("Deleted data overwritten"),
                _("The database overwrites the bytes of every row it deletes (secure_delete)."),
            )
        )
    return items


def security_measures() -> tuple[list[Item], list[Item]]:
    """The measures in force (read from the settings now), and those switched off."""
    sign_in, sign_in_off = _sign_in()
    transport, transport_off = _transport()
    scheduled, scheduled_off = _scheduled()
    on = [*_always(), *sign_in, *transport, *scheduled, *_data_handling()]
    return on, [*sign_in_off, *transport_off, *scheduled_off]


# --- the register ------------------------------------------------------------------------


def processing_register(*, actor: User, via: str) -> ProcessingRegister | None:
    """The register as Baken holds it now; None for who may not read it. The read is an
    audit entry (`via`: page, pdf, api or api-pdf)."""
    if not may_read(actor):
        return None
    measures, off = security_measures()
    register = ProcessingRegister(
        made_at=timezone.now(),
        controller=str(getattr(settings, "MUNICIPALITY_NAME", "")).strip(),
        privacy_officer=list(settings.PRIVACY_OFFICER_EMAIL),
        purpose=_(
            "Receiving, weighing and acting on reports of undermining crime (the "
            "administrative approach), and accounting for it."
        ),
        categories=[Item(c.name, c.description) for c in Category.objects.filter(is_active=True)],
        case_types=[Item(t.name) for t in CaseType.objects.order_by("name")],
        data=data_categories(),
        special=special_data(),
        people=people(),
        recipient_kinds=recipient_kinds(),
        recipients=recipients_seen(),
        transfers=_(
            "Baken records no transfer to a country outside the European Economic Area or "
            "to an international organisation; every hand-over is in the sharing register."
        ),
        rules=rules_in_force(actor=actor),
        measures=measures,
        off=off,
    )
    register.data.append(
        Item(
            _("Sources of source research"),
            ", ".join(s.name for s in Source.objects.filter(is_active=True)) or "—",
        )
    )
    audit_record(
        actor=actor,
        action=AuditAction.PROCESSING_REGISTER_READ,
        target=Target("registers.processing", "*"),
        detail={"via": via},
    )
    return register


def register_pdf(register: ProcessingRegister) -> bytes:
    html = render_to_string("privacy/pdf/processing_register.html", {"register": register})
    return render_pdf(html)


def register_file_name(register: ProcessingRegister) -> str:
    return f"verwerkingsregister-{timezone.localdate(register.made_at):%Y-%m-%d}.pdf"
