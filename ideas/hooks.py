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

idea_funding_box = Hook(
    "idea_funding_box",
    """What the idea page's funding panel shows, composed in Python: called as
    ``idea_funding_box(idea=, member=, query=request.GET)`` by the idea page view; returns a
    dict for the template (``{"show": False}`` when there is nothing to show). Connected by
    ``funding`` (``funding.pages.funding_box``).""",
)

idea_cards = Hook(
    "idea_cards",
    """The idea lists' ideas with what a card shows beyond the idea: called as
    ``idea_cards(ideas=)`` by the list views; returns the list, each idea in funding carrying
    ``funding`` (its progress). Connected by ``funding`` (``funding.pages.cards_with_funding``).""",
)

idea_community_box = Hook(
    "idea_community_box",
    """What the idea page shows of its community (following, updates, share links), composed
    in Python: called as ``idea_community_box(idea=, member=)`` by the idea page view; returns a
    dict for the template. Connected by ``community`` (``community.pages``).""",
)

idea_product_strip = Hook(
    "idea_product_strip",
    """The idea page's progress strip once the idea is a product (its stage, next milestone
    and last update at a glance): called as ``idea_product_strip(idea=)`` by the idea page
    view; returns a dict for ``products/_progress_strip.html`` (``{"show": False}`` before
    the idea is funded). Connected by ``products`` (``products.pages.idea_strip``).""",
)
