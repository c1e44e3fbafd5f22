"""Seams through which ``ideas`` lets higher apps act without importing them (core.hooks)."""

from core.hooks import Hook

suggestion_adopted = Hook(
    "suggestion_adopted",
    """The idea's creator adopted a suggestion: record it as a pending contribution of its
    author. Called as ``suggestion_adopted(idea=, member=, description=, proposed_points=)``
    inside the accepting transaction; returns the Contribution. Connected by ``contributions``.""",
)

idea_published = Hook(
    "idea_published",
    """A creator published an idea: tell the people who follow them. Called as
    ``idea_published(idea=)`` inside the publishing transaction. Connected by ``community``.""",
)
