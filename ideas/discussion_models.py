"""An idea's discussion (comments, suggestions) and its moderation (flags, what reviewers did).

Imported at the end of ``ideas.models`` (import them from there).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from core.phrases import render


class Comment(models.Model):
    """A comment in an idea's discussion; ``parent`` makes threads, ``root`` finds them fast.

    A suggestion the creator accepts becomes a pending ``suggestion`` contribution
    (``contribution``). Hidden comments stay here (and in the moderation log) but are shown
    as "hidden by the moderators" with the reason.
    """

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="idea_comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    # The top-level comment of the thread (null for a top-level comment itself).
    root = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    body = models.TextField()
    body_html = models.TextField(editable=False, default="")
    is_suggestion = models.BooleanField(default=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    contribution = models.OneToOneField(
        "contributions.Contribution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="source_comment",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["idea", "root", "created_at"], name="comment_thread_idx"),
            # The idea page's pages of threads: top-level comments in order, read by LIMIT.
            models.Index(
                fields=["idea", "created_at", "id"],
                condition=Q(root__isnull=True),
                name="comment_roots_order_idx",
            ),
            models.Index(fields=["root", "created_at"], name="comment_root_idx"),
            # The API's thread order: each thread (its root's id), then time.
            models.Index(
                "idea",
                Coalesce("root", "id"),
                "created_at",
                "id",
                name="comment_thread_order_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(is_suggestion=True),
                name="comment_only_suggestions_accepted",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, root__isnull=True, depth=0)
                | Q(parent__isnull=False, root__isnull=False, depth__gt=0),
                name="comment_thread_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.idea_id}"

    def get_absolute_url(self) -> str:
        return f"/ideas/{self.idea_id}/#comment-{self.pk}"


class FlagStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Open")
    HIDDEN = "hidden", gettext_lazy("Content hidden")
    DISMISSED = "dismissed", gettext_lazy("Dismissed")


class Flag(models.Model):
    """A member's report that an idea or a comment breaks the rules, for reviewers to decide."""

    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="flag_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(idea__isnull=False, comment__isnull=True)
                | Q(idea__isnull=True, comment__isnull=False),
                name="flag_exactly_one_target",
            ),
            # One open flag per member and target: flagging twice is not a louder flag.
            models.UniqueConstraint(
                fields=["reporter", "idea"],
                condition=Q(status="open", idea__isnull=False),
                name="one_open_flag_per_member_per_idea",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(status="open", comment__isnull=False),
                name="one_open_flag_per_member_per_comment",
            ),
        ]

    def __str__(self) -> str:
        kind = "comment" if self.comment_id else "idea"
        return f"Flag on {kind} {self.comment_id or self.idea_id}"

    @property
    def target(self):
        return self.comment if self.comment_id else self.idea


class ModerationAction(models.TextChoices):
    HIDE = "hide", gettext_lazy("Hidden")
    UNHIDE = "unhide", gettext_lazy("Shown again")
    DISMISS = "dismiss", gettext_lazy("Flags dismissed")


class ModerationEvent(models.Model):
    """The append-only log of what reviewers did to content, and why."""

    idea = models.ForeignKey(
        "ideas.Idea",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_events",
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_events",
    )
    action = models.CharField(max_length=10, choices=ModerationAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)  # the reviewer's words; empty when reason_code
    reason_code = models.CharField(max_length=60, blank=True, default="", db_default="")
    reason_params = models.JSONField(blank=True, default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(idea__isnull=False, comment__isnull=True)
                | Q(idea__isnull=True, comment__isnull=False),
                name="moderation_event_exactly_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor_id}: {self.reason_text[:40]}"

    @property
    def reason_text(self) -> str:
        """The reviewer's reason, or what the platform said for them in the current language."""
        return render(self.reason_code, self.reason_params, self.reason)
