from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class Vote(models.Model):
    """One member's vote on one idea: one per member per idea, by constraint."""

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "member"], name="one_vote_per_member_per_idea")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.idea_id}"


class VoteAction(models.TextChoices):
    CAST = "cast", gettext_lazy("Cast")
    WITHDRAW = "withdraw", gettext_lazy("Withdrawn")


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
    # The /24 (IPv4) or /48 (IPv6) network of the request, never the full address.
    network = models.CharField(max_length=50, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["idea", "created_at"])]

    def __str__(self) -> str:
        return f"{self.member_id} {self.action} {self.idea_id} at {self.created_at:%Y-%m-%d %H:%M}"
