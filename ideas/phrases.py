"""What ideas writes into its records (history lines, moderation log, adopted suggestions), as
codes with parameters (``core.phrases``): said in the reader's language when read."""

from django.utils.translation import gettext_noop

from core.phrases import phrase

PUBLISHED = phrase("idea_published", gettext_noop("Published by the creator."))
WITHDRAWN = phrase("idea_withdrawn", gettext_noop("Withdrawn by the creator."))
FLAGS_DISMISSED = phrase("flags_dismissed", gettext_noop("Flags dismissed: the content may stay."))
# The suggestion itself (``value``) is the member's own words, kept as written.
SUGGESTION_ADOPTED = phrase(
    "suggestion_adopted", gettext_noop("Suggestion adopted by the creator: %(value)s")
)
