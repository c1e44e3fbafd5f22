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
