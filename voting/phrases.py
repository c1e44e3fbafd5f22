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
