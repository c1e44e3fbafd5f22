"""What members may choose about their notifications: the kinds grouped the way people think of
them, each group's channel (in the site only, e-mailed now, in the daily digest, or off) and its
default.

Every ``notify(kind=…)`` in the platform names one of the kinds below; a kind not listed here is
e-mailed at once (and ``tests/notifications`` fails for it, so it gets a group). Security notices
(a payout destination changed) are not a choice: always e-mailed now.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy


class Channel(models.TextChoices):
    EMAIL = "email", gettext_lazy("In the site and by e-mail at once")
    DIGEST = "digest", gettext_lazy("In the site and in one e-mail a day")
    SITE = "site", gettext_lazy("In the site only")
    OFF = "off", gettext_lazy("Off")


CHANNEL_VALUES = [c.value for c in Channel]
CHANNEL_VALUES_NOT_OFF = [c.value for c in Channel if c != Channel.OFF]


@dataclass(frozen=True)
class Group:
    name: str
    label: object  # a lazy string
    help: object
    kinds: frozenset[str]
    default: Channel
    may_be_off: bool = True

    @property
    def channels(self) -> list[Channel]:
        """The channels a member may choose for this group."""
        return [c for c in Channel if self.may_be_off or c != Channel.OFF]


GROUPS: tuple[Group, ...] = (
    Group(
        "discussion",
        gettext_lazy("Comments and replies"),
        gettext_lazy("Someone comments on your idea, replies to you or adopts your suggestion."),
        frozenset({"comment_reply", "comment_on_idea", "suggestion_accepted"}),
        Channel.DIGEST,
    ),
    Group(
        "following",
        gettext_lazy("Ideas and people you follow"),
        gettext_lazy(
            "A creator posts an update on an idea you back or follow; someone you follow "
            "publishes an idea."
        ),
        frozenset({"creator_update", "followed_member_idea"}),
        Channel.EMAIL,
    ),
    Group(
        "ideas",
        gettext_lazy("Your ideas and the ideas you back"),
        gettext_lazy(
            "Votes reach the threshold, reviews, funding rounds closing, products moving "
            "to the next stage, moderation."
        ),
        frozenset(
            {
                "idea_published",
                "idea_withdrawn",
                "idea_review_requested",
                "idea_threshold_reached",
                "idea_expired",
                "idea_reviewed",
                "idea_hidden",
                "comment_hidden",
                "funding_closed",
                "product_stage",
            }
        ),
        Channel.EMAIL,
    ),
    Group(
        "contributions",
        gettext_lazy("Your contributions"),
        gettext_lazy("A contribution you claimed is approved or declined."),
        frozenset({"contribution_claimed", "contribution_approved", "contribution_rejected"}),
        Channel.EMAIL,
    ),
    Group(
        "money",
        gettext_lazy("Pledges, payments and payouts"),
        gettext_lazy(
            "A payment is due or failed, your share of a settlement, a payout sent. "
            "Always shown in the site."
        ),
        frozenset(
            {
                "payment_due",
                "payment_failed",
                "payment_refused",
                "payment_lapsed",
                "settlement_posted",
                "payout_paid",
                "payout_held_back",
                # A product's money (products.money): an expense you submitted decided or
                # paid, an expense paid to you, your refund after an abandonment.
                "expense_decided",
                "expense_paid",
                "backer_refund",
            }
        ),
        Channel.EMAIL,
        may_be_off=False,
    ),
)

# Not a choice: told at once, by e-mail too, whatever the member chose elsewhere.
ALWAYS_EMAILED = frozenset({"payout_destination_changed"})

_GROUP_OF_KIND = {kind: group for group in GROUPS for kind in group.kinds}
GROUPS_BY_NAME = {group.name: group for group in GROUPS}


def group_of(kind: str) -> Group | None:
    """The group a kind belongs to; None for the kinds that are not a choice."""
    return _GROUP_OF_KIND.get(kind)


def known_kinds() -> frozenset[str]:
    return frozenset(_GROUP_OF_KIND) | ALWAYS_EMAILED
