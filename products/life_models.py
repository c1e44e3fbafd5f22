"""A product's life: its team, stages and their timeline, milestones, abandonment.

The product row itself stays ``funding.Product`` (what its round raised); everything here hangs
off it. Nothing is stored in a human language: timeline events are a code and its parameters,
rendered in the reader's language when read (``products.timeline``).
"""

from django.conf import settings
from django.db import models


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
