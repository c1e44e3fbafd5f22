from django.conf import settings
from django.db import models


class Notification(models.Model):
    """Something a member should know: shown in the site, and sent by e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # What a bulk notification is about ("settlement:12"): one per recipient and source, so a
    # chunk that runs twice notifies nobody twice. Empty for ordinary notifications.
    source = models.CharField(max_length=60, blank=True, db_default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "recipient"],
                condition=~models.Q(source=""),
                name="one_bulk_notification_per_recipient",
            )
        ]

    def __str__(self) -> str:
        return self.message
