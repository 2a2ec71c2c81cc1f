from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisteredAddress(models.Model):
    """One address of the local address register (a BAG extract): public data, used to fill
    in street and town from postcode and house number, and later for matching."""

    postcode = models.CharField(_("postcode"), max_length=6)
    house_number = models.PositiveIntegerField(_("house number"))
    house_letter = models.CharField(_("house letter"), max_length=1, blank=True)
    addition = models.CharField(_("addition"), max_length=10, blank=True)
    street = models.CharField(_("street"), max_length=200)
    city = models.CharField(_("town"), max_length=200)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["postcode", "house_number", "house_letter", "addition"]
        verbose_name = _("registered address")
        verbose_name_plural = _("registered addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["postcode", "house_number", "house_letter", "addition"],
                name="registered_address_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.house_number}{self.house_letter}, {self.city}"
