from django.conf import settings
from django.db import models

from core.phrases import render


class Notification(models.Model):
    """Something a member should know: shown in the site, and sent by e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    # What it says is a phrase code and its parameters (core.phrases), said in the reader's
    # language when read (``text``); ``message`` keeps the text of notifications from before.
    message = models.CharField(max_length=500, blank=True)
    code = models.CharField(max_length=60, blank=True, default="", db_default="")
    params = models.JSONField(blank=True, default=dict, db_default={})
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # What a bulk notification is about ("settlement:12"): one per recipient and source, so a
    # chunk that runs twice notifies nobody twice. Empty for ordinary notifications.
    source = models.CharField(max_length=60, blank=True, db_default="")
    # The member wants this in the daily digest e-mail (notifications.kinds); set when it went.
    digest = models.BooleanField(default=False, db_default=False)
    digested_at = models.DateTimeField(null=True, blank=True)
    # Claimed by the e-mail task just before it sends: a task run twice e-mails nobody twice.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The digest job reads only what waits for it.
            models.Index(
                fields=["recipient"],
                condition=models.Q(digest=True, digested_at__isnull=True),
                name="notification_digest_due_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "recipient"],
                condition=~models.Q(source=""),
                name="one_bulk_notification_per_recipient",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """What it says, in the current language (``translation.override`` for an e-mail)."""
        return render(self.code, self.params, self.message)[:500]


class NotificationSetting(models.Model):
    """A member's choice for one group of notifications (``notifications.kinds``); without a
    row the group's default applies."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    group = models.CharField(max_length=30)
    channel = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "group"], name="one_setting_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.channel}"


class DigestSent(models.Model):
    """A daily digest went to ``member`` on ``day`` (UTC): at most one a day, however often the
    job runs."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "day"], name="one_digest_a_day")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.day}"


class OutboxMessage(models.Model):
    """A task a write sets off (say, the e-mails of its notifications), kept in the write's own
    transaction and published to Celery after it commits (``notifications.outbox``): with the
    broker down the write still succeeds, and beat publishes what waits when it is back."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # Beat reads only what waits, oldest first.
            models.Index(fields=["id"], condition=models.Q(sent_at=None), name="outbox_unsent_idx"),
            # …and deletes what went more than a day ago.
            models.Index(fields=["sent_at"], name="outbox_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{self.args}"
