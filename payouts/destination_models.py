"""Where a member is paid: one destination each, stored encrypted (``payouts.destinations``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class DestinationKind(models.TextChoices):
    IBAN = "iban", gettext_lazy("Bank account (IBAN)")
    ALIPAY = "alipay", gettext_lazy("Alipay account")
    OTHER = "other", gettext_lazy("Other (finance pays by hand)")


class PayoutDestination(models.Model):
    """The account details are a Fernet token (``secret``); ``masked`` is what pages show."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payout_destination"
    )
    kind = models.CharField(max_length=10, choices=DestinationKind.choices)
    secret = models.TextField()
    masked = models.CharField(max_length=120)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.member_id}: {self.kind} {self.masked}"


class PayoutDestinationChange(models.Model):
    """The log of changes (never the details themselves): who changed what kind, when."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=DestinationKind.choices)
    masked = models.CharField(max_length=120)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.kind} {self.masked} at {self.changed_at:%Y-%m-%d}"
