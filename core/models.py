from django.db import models


class IdempotencyRecord(models.Model):
    """A state-changing request that must happen once: an API POST with an ``Idempotency-Key``
    header, or a page form with its one-time token. The first request claims the row (the unique
    key decides who was first); it stores its response, which later replays get back."""

    scope = models.CharField(max_length=64)  # whose key: a hash of the caller
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # a hash of the request: same key, same request
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)  # null: still running
    content_type = models.CharField(max_length=200, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code or 'running'})"
