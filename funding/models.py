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


class ReviewOutcome(models.TextChoices):
    APPROVE = "approve", gettext_lazy("Approved for funding")
    REJECT = "reject", gettext_lazy("Rejected")


class ReviewDecision(models.Model):
    """A reviewer's decision on an idea in review: one per idea, by constraint. An approval
    opens the idea's ``FundingRound`` (``decision.funding_round``), which holds the terms."""

    idea = models.OneToOneField(
        "ideas.Idea", on_delete=models.PROTECT, related_name="review_decision"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_decisions"
    )
    decision = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.idea_id}"


class FundingRound(models.Model):
    """The funding terms of an approved idea: one round per idea, opened by the approving
    review decision and never changed after. The one owner of the goal, the currency, the
    deadline, the platform fee and the points per unit (read them with ``funding.selectors``)."""

    idea = models.OneToOneField(
        "ideas.Idea", on_delete=models.PROTECT, related_name="funding_round"
    )
    # The approval that opened it (null only for rounds copied from before decisions existed).
    decision = models.OneToOneField(
        "ReviewDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_round",
    )
    goal = models.BigIntegerField()  # minor units
    currency = models.CharField(max_length=3)
    deadline = models.DateTimeField(db_index=True)
    platform_fee_bp = models.PositiveIntegerField()
    points_per_unit = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(goal__gt=0), name="round_goal_positive"),
            models.CheckConstraint(
                condition=Q(platform_fee_bp__gte=FEE_BP_MIN, platform_fee_bp__lte=FEE_BP_MAX),
                name="round_platform_fee_range",
            ),
            models.CheckConstraint(
                condition=Q(points_per_unit__gt=0), name="round_points_per_unit_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"round of {self.idea_id}: {self.goal} {self.currency} by {self.deadline:%Y-%m-%d}"


class ProductManager(models.Manager):
    def get_queryset(self):
        # A product's terms are its round's: read with it (an inner join, so FOR UPDATE works).
        return super().get_queryset().select_related("funding_round")


class Product(models.Model):
    """A funded idea: what its round raised. Its terms (fee, points per unit, currency, goal)
    are the round's, read through the properties below."""

    idea = models.OneToOneField("ideas.Idea", on_delete=models.PROTECT, related_name="product")
    funding_round = models.OneToOneField(
        FundingRound, on_delete=models.PROTECT, related_name="product"
    )
    amount_raised = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProductManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_raised__gte=0), name="product_amount_raised_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.idea.title if self.idea_id else gettext("Product %(pk)s") % {"pk": self.pk}

    @property
    def creator(self):
        return self.idea.creator

    @property
    def currency(self) -> str:
        return self.funding_round.currency

    @property
    def funding_goal(self) -> int:
        return self.funding_round.goal

    @property
    def platform_fee_bp(self) -> int:
        return self.funding_round.platform_fee_bp

    @property
    def points_per_unit(self) -> int:
        return self.funding_round.points_per_unit


class PaymentStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Awaiting payment")
    RECEIVED = "received", gettext_lazy("Received")
    # A charge was declined or needs the backer: they may pay again until ``due_at``.
    FAILED = "failed", gettext_lazy("Failed: the backer may pay again")
    REFUSED = "refused", gettext_lazy("Refused by finance")
    LAPSED = "lapsed", gettext_lazy("Lapsed (not paid in time)")


class PaymentFailure(models.TextChoices):
    """Why a charge did not go through; the provider's own decline code goes in the params."""

    NO_SAVED_CARD = "no_saved_card", gettext_lazy("No card was saved for this pledge.")
    NEEDS_ACTION = (
        "needs_action",
        gettext_lazy("Your bank asks you to confirm the payment yourself."),
    )
    DECLINED = "declined", gettext_lazy("The card was declined.")


def failure_message(code: str, params: dict | None = None) -> str:
    """The sentence for a failure code (an unknown code reads as a decline)."""
    try:
        label = PaymentFailure(code).label
    except ValueError:
        label = PaymentFailure.DECLINED.label
    decline = (params or {}).get("decline_code")
    return f"{label} ({decline})" if decline else str(label)


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
    # Why a charge failed, as a code (``PaymentFailure``) and its parameters (the provider's
    # decline code); the sentence is rendered when read (``failure_message``).
    failure = models.CharField(max_length=40, blank=True, db_default="")
    failure_params = models.JSONField(default=dict, blank=True, db_default={})

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

    @property
    def failure_message(self) -> str:
        """Why the charge failed, in the reader's language ("" when it did not)."""
        return failure_message(self.failure, self.failure_params) if self.failure else ""


class IdeaInReview(Idea):
    """Ideas as the Django admin's review screen sees them (a proxy: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = gettext_lazy("idea in review")
        verbose_name_plural = gettext_lazy("ideas in review")
