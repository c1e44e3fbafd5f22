from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

from ideas.models import Idea
from payouts.rules import FEE_BP_MAX, FEE_BP_MIN


class PledgeStatus(models.TextChoices):
    ACTIVE = "active", gettext_lazy("Active")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")
    RELEASED = "released", gettext_lazy("Released (round failed)")
    COLLECTED = "collected", gettext_lazy("Collected (round funded)")


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
                condition=Q(platform_fee_bp__gte=FEE_BP_MIN, platform_fee_bp__lte=FEE_BP_MAX),
                name="product_platform_fee_range",
            ),
            models.CheckConstraint(
                condition=Q(amount_raised__gte=0), name="product_amount_raised_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.idea.title if self.idea_id else gettext("Product %(pk)s") % {"pk": self.pk}

    @property
    def creator(self):
        return self.idea.creator


class ReviewOutcome(models.TextChoices):
    APPROVE = "approve", gettext_lazy("Approved for funding")
    REJECT = "reject", gettext_lazy("Rejected")


class ReviewDecision(models.Model):
    """A reviewer's decision on an idea in review: one per idea, by constraint.

    The funding terms are copied here as they were decided; the idea carries the live copy.
    """

    idea = models.OneToOneField(
        "ideas.Idea", on_delete=models.PROTECT, related_name="review_decision"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_decisions"
    )
    decision = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    reason = models.TextField()
    funding_goal = models.BigIntegerField(null=True, blank=True)  # minor units
    currency = models.CharField(max_length=3, blank=True)
    funding_deadline = models.DateTimeField(null=True, blank=True)
    platform_fee_bp = models.PositiveIntegerField(null=True, blank=True)
    points_per_unit = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="reject")
                | Q(
                    funding_goal__gt=0,
                    platform_fee_bp__gte=FEE_BP_MIN,
                    platform_fee_bp__lte=FEE_BP_MAX,
                    points_per_unit__gt=0,
                    funding_deadline__isnull=False,
                ),
                name="approval_has_funding_terms",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.idea_id}"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Awaiting payment")
    RECEIVED = "received", gettext_lazy("Received")
    # A charge was declined or needs the backer: they may pay again until ``due_at``.
    FAILED = "failed", gettext_lazy("Failed: the backer may pay again")
    REFUSED = "refused", gettext_lazy("Refused by finance")
    LAPSED = "lapsed", gettext_lazy("Lapsed (not paid in time)")


class Payment(models.Model):
    """The money a collected pledge is owed. Recorded, not moved: an adapter confirms it."""

    pledge = models.OneToOneField(Pledge, on_delete=models.PROTECT, related_name="payment")
    provider = models.CharField(max_length=20, default="manual")
    amount = models.BigIntegerField()  # minor units
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    reference = models.CharField(max_length=120, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the backer must have paid (PAYMENT_GRACE_DAYS after the round closed, or after a
    # failed charge); past it the payment lapses.
    due_at = models.DateTimeField(null=True, blank=True)
    # The provider's id for this payment (a Stripe PaymentIntent), saved before it is charged.
    provider_ref = models.CharField(max_length=255, blank=True, db_default="")
    failure = models.CharField(max_length=500, blank=True, db_default="")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="received") | Q(confirmed_at__isnull=False),
                name="received_payment_is_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} for pledge {self.pledge_id} ({self.status})"


class IdeaInReview(Idea):
    """Ideas as the Django admin's review screen sees them (a proxy: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = gettext_lazy("idea in review")
        verbose_name_plural = gettext_lazy("ideas in review")
