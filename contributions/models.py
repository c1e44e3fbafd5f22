import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from core.phrases import render


class ContributionKind(models.TextChoices):
    DESIGN = "design", gettext_lazy("Design")
    PRODUCTION = "production", gettext_lazy("Production")
    ENGINEERING = "engineering", gettext_lazy("Engineering")
    MARKETING = "marketing", gettext_lazy("Marketing")
    SUGGESTION = "suggestion", gettext_lazy("Suggestion")
    FUNDING = "funding", gettext_lazy("Funding")
    OTHER = "other", gettext_lazy("Other")


class ContributionStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Pending")
    APPROVED = "approved", gettext_lazy("Approved")
    REJECTED = "rejected", gettext_lazy("Rejected")


def evidence_upload_to(instance, filename: str) -> str:
    """A random name, never the uploader's; the extension is set from the detected type."""
    extension = getattr(instance, "_evidence_extension", "") or "bin"
    return f"evidence/{uuid.uuid4().hex}.{extension}"


class Contribution(models.Model):
    """That a member helped an idea become a product; approved points weigh in the split.

    It belongs to the idea and carries over to its product (``idea.product``).
    """

    idea = models.ForeignKey("ideas.Idea", on_delete=models.PROTECT, related_name="contributions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contributions"
    )
    kind = models.CharField(max_length=12, choices=ContributionKind.choices)
    # The member's words; a claim the platform writes (a pledge, an adopted suggestion) is a
    # phrase code with its parameters (core.phrases), said in the reader's language.
    description = models.TextField()
    description_code = models.CharField(max_length=60, blank=True, default="", db_default="")
    description_params = models.JSONField(blank=True, default=dict)
    evidence_url = models.URLField(blank=True)
    evidence_file = models.FileField(upload_to=evidence_upload_to, blank=True)
    evidence_mime = models.CharField(max_length=100, blank=True)  # detected from the bytes
    proposed_points = models.PositiveIntegerField()
    points = models.PositiveIntegerField(null=True, blank=True)  # final, set on approval
    status = models.CharField(
        max_length=10, choices=ContributionStatus.choices, default=ContributionStatus.PENDING
    )
    endorsed_at = models.DateTimeField(null=True, blank=True)  # by the idea's creator
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    decision_code = models.CharField(max_length=60, blank=True, default="", db_default="")
    decision_params = models.JSONField(blank=True, default=dict)
    # Funding contributions come from exactly one pledge.
    pledge = models.OneToOneField(
        "funding.Pledge",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contribution",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["idea", "status", "decided_at"]),
            models.Index(fields=["status", "created_at"]),  # the reviewer queue
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_points__gt=0), name="contribution_proposed_points_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(points__gt=0, decided_at__isnull=False),
                name="approved_contribution_has_points",
            ),
            # A pending claim carries no decision; a rejected one says when and why.
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(decided_at__isnull=True, points__isnull=True),
                name="pending_contribution_undecided",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected")
                | (Q(decided_at__isnull=False) & (~Q(decision_reason="") | ~Q(decision_code=""))),
                name="rejected_contribution_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.member_id} on {self.idea_id}"

    @property
    def description_text(self) -> str:
        """What the claim says, in the current language when the platform wrote it."""
        return render(self.description_code, self.description_params, self.description)

    @property
    def decision_reason_text(self) -> str:
        return render(self.decision_code, self.decision_params, self.decision_reason)


class StandingBuild(models.Model):
    """A product's stored contribution table: ``version`` moves with every change to the idea's
    approved contributions (in the same transaction), ``built_version`` is what the stored rows
    show. See ``contributions.standings``."""

    idea = models.OneToOneField(
        "ideas.Idea", on_delete=models.CASCADE, primary_key=True, related_name="standing_build"
    )
    version = models.BigIntegerField(default=1, db_default=1)
    built_version = models.BigIntegerField(default=0, db_default=0)
    contributors = models.PositiveIntegerField(default=0, db_default=0)
    total_points = models.BigIntegerField(default=0, db_default=0)
    built_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"idea {self.idea_id}: v{self.built_version}/{self.version}"


class Standing(models.Model):
    """One row of a product's stored contribution table, in the order it is shown."""

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField()
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=150)
    points = models.BigIntegerField()
    share = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "rank"], name="one_standing_per_rank")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name}: {self.points}"
