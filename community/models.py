from django.conf import settings
from django.db import models
from django.db.models import F, Q


class IdeaFollow(models.Model):
    """A member hears of an idea's creator updates without backing it."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_follows"
    )
    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "member"], name="one_follow_per_idea")
        ]
        indexes = [models.Index(fields=["member", "-created_at"], name="idea_follow_member_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} follows idea {self.idea_id}"


class MemberFollow(models.Model):
    """A member hears when another publishes an idea."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following"
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["followed", "follower"], name="one_follow_per_member"),
            models.CheckConstraint(condition=~Q(follower=F("followed")), name="no_self_follow"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followed_id}"


class IdeaUpdate(models.Model):
    """News from an idea's creator, delivered to its backers and followers."""

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    body_html = models.TextField(editable=False)  # rendered and sanitised (ideas.rendering)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["idea", "-created_at"], name="idea_update_idx")]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return f"/ideas/{self.idea_id}/#update-{self.pk}"
