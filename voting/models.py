from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class Vote(models.Model):
    """One member's vote on one idea: one per member per idea, by constraint.

    A vote *counts* toward the threshold (``counted``) only from an account old enough
    (``VOTE_MIN_ACCOUNT_AGE``, with a verified e-mail); a younger account's vote is recorded
    and counts from ``counts_from`` (the beat job ``votes_due_count``). A reviewer may void a
    cluster's votes (``voided``): they stay, uncounted, with the decision that voided them.
    """

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    counted = models.BooleanField(default=True, db_default=True)
    counts_from = models.DateTimeField(null=True, blank=True)  # pending: when it will count
    voided = models.ForeignKey(
        "voting.VoteVoid",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voided_votes",
    )
    # Keyed hashes (``voting.clusters``) of the voter's network (/24, /48) and device cookie.
    network = models.CharField(max_length=50, blank=True, db_default="")
    device = models.CharField(max_length=32, blank=True, db_default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "member"], name="one_vote_per_member_per_idea")
        ]
        indexes = [
            models.Index(
                fields=["counts_from"],
                condition=models.Q(counted=False, counts_from__isnull=False),
                name="vote_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.idea_id}"


class VoteAction(models.TextChoices):
    CAST = "cast", gettext_lazy("Cast")
    WITHDRAW = "withdraw", gettext_lazy("Withdrawn")
    VOID = "void", gettext_lazy("Voided by a reviewer")


class VoteEvent(models.Model):
    """Append-only record of who voted (or withdrew) when, and from which network.

    Reviewers read it to spot vote rings: bursts of young accounts voting from one network.
    Votes themselves are deleted on withdrawal; this log keeps the history.
    """

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="vote_events")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vote_events"
    )
    action = models.CharField(max_length=10, choices=VoteAction.choices)
    # A keyed hash of the /24 (IPv4) or /48 (IPv6) network of the request (``network_of``),
    # never the address.
    network = models.CharField(max_length=50, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["idea", "created_at"])]

    def __str__(self) -> str:
        return f"{self.member_id} {self.action} {self.idea_id} at {self.created_at:%Y-%m-%d %H:%M}"


class VoteHold(models.Model):
    """An idea whose threshold crossing rests on flagged votes (``voting.clusters``): it stays
    in voting and waits in the reviewers' queue, which shows the clusters, until a reviewer
    voids clusters or sends it to review (``outcome``)."""

    class Outcome(models.TextChoices):
        OPEN = "", gettext_lazy("Waiting")
        VOIDED = "voided", gettext_lazy("Flagged votes voided")
        RELEASED = "released", gettext_lazy("Sent to review")

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="vote_holds")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, blank=True, choices=Outcome.choices)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea"], condition=models.Q(closed_at__isnull=True),
                name="one_open_vote_hold_per_idea",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"hold {self.idea_id} {self.outcome or 'open'}"


class VoteVoid(models.Model):
    """A reviewer's decision to void one cluster's votes on an idea, with the reason: the
    audit record (never changed); the voided votes point to it."""

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="vote_voids")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500)
    cluster = models.CharField(max_length=80)  # "network:<hash>", "device:<hash>", "signup:<t>"
    votes = models.PositiveIntegerField()  # how many votes it voided
    counted = models.PositiveIntegerField()  # of which counted: the count dropped by this many
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"void {self.idea_id} {self.cluster} ({self.votes})"
