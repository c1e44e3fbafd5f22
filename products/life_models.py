"""A product's life: its team, stages and their timeline, milestones, abandonment.

The product row itself stays ``funding.Product`` (what its round raised); everything here hangs
off it. Nothing is stored in a human language: timeline events are a code and its parameters,
rendered in the reader's language when read (``products.timeline``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy


class ProductTeamMember(models.Model):
    """A member the product's creator added to its team: they may manage the product with the
    creator (milestones, expenses). The creator is on the team without a row."""

    product = models.ForeignKey(
        "funding.Product", on_delete=models.CASCADE, related_name="team_members"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="product_teams"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "member"], name="product_team_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.member_id}"


class Stage(models.TextChoices):
    """Where the product is; it moves forward only (``products.rules.STAGE_ORDER``)."""

    DESIGN = "design", gettext_lazy("Design")
    PROTOTYPE = "prototype", gettext_lazy("Prototype")
    PRODUCTION = "production", gettext_lazy("Production")
    ON_SALE = "on_sale", gettext_lazy("On sale")
    ENDED = "ended", gettext_lazy("Ended")


class Ending(models.TextChoices):
    """How an ended product ended."""

    NONE = "", gettext_lazy("Not ended")
    COMPLETED = "completed", gettext_lazy("Completed")
    ABANDONED = "abandoned", gettext_lazy("Abandoned")


class ProductLife(models.Model):
    """The product's stage. A product without a row is in design since it was funded (the row
    is written by the first move, ``products.services``)."""

    product = models.OneToOneField(
        "funding.Product", on_delete=models.CASCADE, primary_key=True, related_name="life"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.DESIGN)
    ending = models.CharField(max_length=16, choices=Ending.choices, default="", blank=True)
    stage_since = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(stage=Stage.ENDED, ending__in=[Ending.COMPLETED, Ending.ABANDONED])
                | (~Q(stage=Stage.ENDED) & Q(ending="")),
                name="product_life_ended_says_how",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.stage}"


class ProductEvent(models.Model):
    """One line of the product's public timeline: a code and its parameters (rendered in the
    reader's language by ``products.timeline``), who did it, and their note (their own words,
    shown as written)."""

    class Code(models.TextChoices):
        STAGE_MOVED = "stage_moved"  # {"from": stage, "to": stage}
        MILESTONE_ADDED = "milestone_added"  # {"milestone": id, "title": str, "due": iso date}
        MILESTONE_DONE = "milestone_done"  # {"milestone": id, "title": str, "update": id|None}
        MILESTONE_RESCHEDULED = "milestone_rescheduled"  # {"milestone", "title", "from", "to"}
        MILESTONE_SLIPPED = "milestone_slipped"  # {"milestone": id, "title": str, "due": iso}
        TEAM_MEMBER_ADDED = "team_member_added"  # {"member": id}
        ABANDONMENT_ASKED = "abandonment_asked"  # {"abandonment": id}
        ABANDONMENT_CONFIRMED = "abandonment_confirmed"  # {"abandonment": id}

    product = models.ForeignKey("funding.Product", on_delete=models.CASCADE, related_name="events")
    code = models.CharField(max_length=32, choices=Code.choices)
    params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["product", "-created_at"], name="product_event_idx")]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.code}"


class Milestone(models.Model):
    """A step the team promises by a date; done with a note or a creator update as evidence.
    ``slip_told_at`` is set once, when its backers and followers were told it slipped."""

    product = models.ForeignKey(
        "funding.Product", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    due_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_note = models.TextField(blank=True)
    done_update = models.ForeignKey(
        "community.IdeaUpdate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    slip_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(
                fields=["due_date"], condition=Q(done_at__isnull=True), name="milestone_open_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | ~Q(done_note="") | Q(done_update__isnull=False),
                name="milestone_done_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def overdue_on(self, today) -> bool:
        return self.done_at is None and self.due_date < today


class Abandonment(models.Model):
    """A request to abandon the product, asked by its creator or a reviewer with a reason and
    confirmed by a different reviewer; on confirmation the product ends (abandoned) and its
    available funds go back to the backers (``products.refunds``)."""

    class Status(models.TextChoices):
        ASKED = "asked", gettext_lazy("Asked")
        CONFIRMED = "confirmed", gettext_lazy("Confirmed")

    product = models.ForeignKey(
        "funding.Product", on_delete=models.PROTECT, related_name="abandonments"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ASKED)
    reason = models.TextField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        constraints = [
            # One abandonment per product: asked once, confirmed at most once.
            models.UniqueConstraint(fields=["product"], name="abandonment_once_per_product"),
            models.CheckConstraint(
                condition=Q(status="asked", confirmed_by__isnull=True, confirmed_at__isnull=True)
                | Q(status="confirmed", confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="abandonment_confirmed_by_someone",
            ),
            # Four eyes: whoever asked never confirms.
            models.CheckConstraint(
                condition=~Q(confirmed_by=models.F("asked_by")),
                name="abandonment_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.status}"
