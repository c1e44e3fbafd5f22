"""What community tells members (``core.phrases``): codes with parameters, said in each reader's
language."""

from django.utils.translation import gettext_noop

from core.phrases import phrase

# Notifications.
UPDATE_POSTED = phrase("update_posted", gettext_noop("%(name)s posted an update on “%(title)s”."))
FOLLOWED_MEMBER_PUBLISHED = phrase(
    "followed_member_published", gettext_noop("%(name)s published a new idea: “%(title)s”.")
)
