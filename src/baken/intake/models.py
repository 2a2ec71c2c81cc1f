"""What only the Meldpunt keeps. The category catalogue and the parts of a report the Meldpunt
stores (receipt, contact details, attachments, messages) are the reports app's models
(`baken.reports.models`, issue 14)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """Makes a resent report (same idempotency key) return the first one, receipt included.

    The receipt code is kept encrypted under a key derived from the idempotency key itself,
    so only the client that chose that key can get it back. Removed after a day by retention.
    """

    key_hash = models.CharField(max_length=64, unique=True)
    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, related_name="idempotency"
    )
    payload_hash = models.CharField(max_length=64)
    receipt_ciphertext = models.BinaryField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")

    def __str__(self) -> str:
        return f"idempotency {self.report_id}"
