"""Everything that changes ideas and their discussion (SPEC sections 2 and 3).

Status changes go through ``ideas.transitions.idea_transition`` (the only place a status
changes); who may do what is ``ideas.rules``; the services check the rules, validate input,
write, and tell the people concerned. Split by concern: ``ideas`` (the idea itself),
``comments`` (the discussion and adopting suggestions), ``moderation`` (flags, hiding).
"""

from .comments import SUGGESTION_DEFAULT_POINTS, comment_accept, comment_create
from .ideas import idea_create, idea_publish, idea_update, idea_withdraw
from .moderation import (
    comment_hide,
    comment_unhide,
    flag_create,
    flags_dismiss,
    idea_hide,
    idea_unhide,
)
from .validation import BODY_MAX_LENGTH, COMMENT_MAX_LENGTH, MAX_TAGS, REASON_MAX_LENGTH

__all__ = [
    "BODY_MAX_LENGTH",
    "COMMENT_MAX_LENGTH",
    "MAX_TAGS",
    "REASON_MAX_LENGTH",
    "SUGGESTION_DEFAULT_POINTS",
    "comment_accept",
    "comment_create",
    "comment_hide",
    "comment_unhide",
    "flag_create",
    "flags_dismiss",
    "idea_create",
    "idea_hide",
    "idea_publish",
    "idea_unhide",
    "idea_update",
    "idea_withdraw",
]
