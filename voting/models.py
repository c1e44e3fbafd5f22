from django.conf import settings
from django.db import models


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
