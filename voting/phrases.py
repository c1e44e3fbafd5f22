"""The history lines voting writes (``core.phrases``): said in the reader's language."""

from django.utils.translation import gettext_noop

from core.phrases import phrase

THRESHOLD_REACHED = phrase(
    "threshold_reached",
    gettext_noop("Reached the vote threshold (%(count)s of %(threshold)s votes)."),
)
THRESHOLD_REACHED_AT_CLOSE = phrase(
    "threshold_reached_at_close",
    gettext_noop("Reached the vote threshold (%(vote_count)s votes)."),
)
WINDOW_ENDED = phrase(
    "voting_window_ended",
    gettext_noop("The voting window ended with %(vote_count)s of %(vote_threshold)s votes."),
)

# Notifications.
REVIEW_REQUESTED_NOTICE = phrase(
    "review_requested_notice",
    gettext_noop("“%(title)s” reached %(count)s votes and waits for your review."),
)
THRESHOLD_REACHED_NOTICE = phrase(
    "threshold_reached_notice",
    gettext_noop("Your idea “%(title)s” reached %(count)s votes and goes to review."),
)
VOTING_WINDOW_ENDED_NOTICE = phrase(
    "voting_window_ended_notice",
    gettext_noop(
        "The voting window of “%(title)s” ended with %(vote_count)s of %(vote_threshold)s votes."
    ),
)
VOTES_HELD_NOTICE = phrase(
    "votes_held_notice",
    gettext_noop(
        "“%(title)s” reached its vote threshold with flagged votes: "
        "check the clusters before it goes to review."
    ),
)
VOTE_VOIDED_NOTICE = phrase(
    "vote_voided_notice",
    gettext_noop("Your vote on “%(title)s” was voided by a reviewer: %(reason)s"),
)
IDEA_VOTES_VOIDED_NOTICE = phrase(
    "idea_votes_voided_notice",
    gettext_noop("A reviewer voided %(count)s votes on your idea “%(title)s”: %(reason)s"),
)
