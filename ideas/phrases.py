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

# Notifications.
IDEA_HIDDEN_NOTICE = phrase(
    "idea_hidden_notice", gettext_noop("The moderators hid your idea “%(title)s”: %(reason)s")
)
COMMENT_HIDDEN_NOTICE = phrase(
    "comment_hidden_notice",
    gettext_noop("The moderators hid your comment on “%(title)s”: %(reason)s"),
)
IDEA_OPEN_NOTICE = phrase(
    "idea_open_notice",
    gettext_noop("Your idea “%(title)s” is open for voting until %(deadline)s. Share it!"),
)
IDEA_WITHDRAWN_NOTICE = phrase(
    "idea_withdrawn_notice",
    gettext_noop("“%(title)s”, an idea you voted for, was withdrawn by its creator."),
)
COMMENT_REPLY_NOTICE = phrase(
    "comment_reply_notice", gettext_noop("%(name)s replied to your comment on “%(title)s”.")
)
SUGGESTION_MADE_NOTICE = phrase(
    "suggestion_made_notice",
    gettext_noop("%(name)s suggested an improvement to your idea “%(title)s”."),
)
COMMENT_MADE_NOTICE = phrase(
    "comment_made_notice", gettext_noop("%(name)s commented on your idea “%(title)s”.")
)
SUGGESTION_ACCEPTED_NOTICE = phrase(
    "suggestion_accepted_notice",
    gettext_noop(
        "%(public_name)s adopted your suggestion on “%(title)s”. A reviewer will weigh it as your "
        "contribution."
    ),
)
