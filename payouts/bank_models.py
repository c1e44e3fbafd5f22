"""A payout batch's bank file, kept as a record (``payouts.exports.sepa``)."""

from django.conf import settings
from django.db import models


class PayoutBatchFile(models.Model):
    """The SEPA credit transfer file of a batch: made once, from the destinations the batch
    snapshotted, and handed out byte for byte on every later download. ``held_back`` lists the
    payees left out of it as codes and ids (``[{"member": 7, "code": "name"}]``): the page
    renders the sentence."""

    batch = models.OneToOneField(
        "payouts.PayoutBatch", on_delete=models.PROTECT, related_name="bank_file"
    )
    msg_id = models.CharField(max_length=35, unique=True)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    execution_date = models.DateField()
    included = models.PositiveIntegerField()
    control_sum = models.BigIntegerField()
    held_back = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.msg_id} ({self.sha256[:12]})"
