import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from baken.core.roles import Role, capabilities_of


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp device FK
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    is_demo = models.BooleanField(
        _("demo user"),
        default=False,
        help_text=_("Demo users may print their current code with `baken totp`."),
    )
    # The user's identity at the municipality's identity provider (the claim named by
    # BAKEN_OIDC_USER_CLAIM); empty for local accounts, which single sign-on never reaches.
    sso_identity = models.CharField(
        _("single sign-on identity"), max_length=255, null=True, blank=True, unique=True
    )
    # Raising the epoch ends every session of this user ("log out everywhere"): it is part
    # of the session auth hash that Django checks on every request.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        return salted_hmac(
            "baken.accounts.User.session",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def capabilities(self) -> frozenset[str]:
        return capabilities_of(self.role) if self.is_active else frozenset()

    def can(self, capability: str) -> bool:
        return capability in self.capabilities


class ApiToken(models.Model):
    """An API token acts with its owner's rights; only its SHA-256 digest is stored.

    Tokens carry 256 bits of randomness, so a fast hash suffices (no brute-force margin to
    buy with a slow one); see docs/adr/0004-authentication.md.
    """

    PREFIX = "bkn_"

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("first characters"), max_length=12, editable=False)
    channels = models.JSONField(
        _("channels"),
        default=list,
        blank=True,
        help_text=_("Report channels this token may submit for (phone, email, partner, import)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.hint}… ({self.user})"

    def get_absolute_url(self) -> str:
        return reverse("accounts:account")

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class IdentityProviderDevice(Device):
    """The second factor of a single sign-on session: the identity provider did it (ADR 0021).

    django-otp marks a session verified by the device it was verified with; this device stands
    for "the municipality's identity provider required MFA". It accepts no code, so it can
    never pass a local login.
    """

    class Meta(Device.Meta):
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def verify_token(self, token) -> bool:
        return False
