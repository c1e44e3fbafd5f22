from django.conf import settings
from django.db import models
from django.db.models import Q


class PledgeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CANCELLED = "cancelled", "Cancelled"
    RELEASED = "released", "Released (round failed)"
    COLLECTED = "collected", "Collected (round funded)"


class Pledge(models.Model):
    """A member's promise to fund an idea; money is recorded, not moved (SPEC section 2)."""

    idea = models.ForeignKey("ideas.Idea", on_delete=models.PROTECT, related_name="pledges")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pledges"
    )
    amount = models.BigIntegerField()  # minor units
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=12, choices=PledgeStatus.choices, default=PledgeStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_amount_positive"),
            models.UniqueConstraint(
                fields=["idea", "member"],
                condition=Q(status="active"),
                name="one_active_pledge_per_member_per_idea",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} pledged {self.amount} {self.currency} to {self.idea_id}"


class Product(models.Model):
    """A funded idea. The fee and the points per unit are fixed when it is created."""

    idea = models.OneToOneField("ideas.Idea", on_delete=models.PROTECT, related_name="product")
    currency = models.CharField(max_length=3)
    funding_goal = models.BigIntegerField()
    amount_raised = models.BigIntegerField()
    platform_fee_bp = models.PositiveIntegerField()
    points_per_unit = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(platform_fee_bp__gte=1000, platform_fee_bp__lte=2500),
                name="product_platform_fee_range",
            ),
            models.CheckConstraint(
                condition=Q(amount_raised__gte=0), name="product_amount_raised_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.idea.title if self.idea_id else f"Product {self.pk}"

    @property
    def creator(self):
        return self.idea.creator
