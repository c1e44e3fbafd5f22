import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q


def video_upload_to(instance, filename: str) -> str:
    """A random name: never the uploader's. The extension follows the detected type."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"videos/{uuid.uuid4().hex}{suffix}"


class Category(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    # Overrides VOTE_THRESHOLD for ideas in this category when set.
    vote_threshold = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IdeaStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    VOTING = "voting", "Voting"
    REVIEW = "review", "In review"
    FUNDING = "funding", "Funding"
    FUNDED = "funded", "Funded"
    IN_PRODUCTION = "in_production", "In production"
    LAUNCHED = "launched", "Launched"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"
    REJECTED = "rejected", "Rejected"
    FUNDING_FAILED = "funding_failed", "Funding failed"


class Idea(models.Model):
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas"
    )
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=280)
    body = models.TextField()
    body_html = models.TextField(editable=False, default="")  # rendered + sanitised on save
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="ideas")
    status = models.CharField(
        max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.DRAFT, db_index=True
    )
    video_file = models.FileField(upload_to=video_upload_to, blank=True)
    video_mime = models.CharField(max_length=40, blank=True)
    video_url = models.URLField(blank=True)  # the YouTube / Vimeo link as given
    video_embed_url = models.URLField(blank=True)  # the privacy-friendly embed derived from it

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    voting_deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    vote_count = models.PositiveIntegerField(default=0)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)

    # Funding terms, set when a reviewer approves the idea for funding.
    funding_goal = models.BigIntegerField(null=True, blank=True)  # minor units
    currency = models.CharField(max_length=3, blank=True)
    funding_deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    platform_fee_bp = models.PositiveIntegerField(null=True, blank=True)
    points_per_unit = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(platform_fee_bp__isnull=True)
                | Q(platform_fee_bp__gte=1000, platform_fee_bp__lte=2500),
                name="idea_platform_fee_range",
            ),
            models.CheckConstraint(
                condition=Q(funding_goal__isnull=True) | Q(funding_goal__gt=0),
                name="idea_funding_goal_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def vote_threshold(self) -> int:
        if self.category_id and self.category.vote_threshold:
            return self.category.vote_threshold
        return settings.VOTE_THRESHOLD


class IdeaTransition(models.Model):
    """The append-only audit trail of an idea's states: who, when, why."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=IdeaStatus.choices)
    to_status = models.CharField(max_length=20, choices=IdeaStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )  # null: the platform itself (a deadline, the threshold)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One idea leaves a given state at most once per reaching it; the guard in
            # idea_transition() is a conditional UPDATE, this is the audit trail's own check.
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")), name="transition_changes_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_status} → {self.to_status}"
