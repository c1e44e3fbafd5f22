"""Seams through which ``contributions`` lets higher apps act without importing them
(core.hooks)."""

from core.hooks import Hook

points_approved = Hook(
    "points_approved",
    """A member's points on a product were approved (a claim, or a funded pledge): from now on
    they share in its settlements. Called as ``points_approved(member_id=, currency=)`` inside
    the approving transaction. Connected by ``payouts``, which opens the member's payable
    account in the product's currency now, so a settlement never opens a million at once.""",
)

product_settlements = Hook(
    "product_settlements",
    """The product page's settlement history, newest period first (at most 24): called as
    ``product_settlements(product_id=)`` by the product page view; returns a list for the
    template. Connected by ``payouts`` (``payouts.selectors.product_settlements_shown``).""",
)

product_life_box = Hook(
    "product_life_box",
    """The product page's panels of its life and money — the progress strip (stage, next
    milestone, last update), milestones, timeline, abandonment, and the budget and expenses —
    composed in Python: called as ``product_life_box(product=, member=)`` by the product page
    view; returns a dict for ``products/_product_life.html``. Connected by ``products``
    (``products.pages.product_box``).""",
)

product_money_links = Hook(
    "product_money_links",
    """Links from the product page to its money pages that the viewer may open — the profit
    and loss (creator, backers, contributors, finance) and finance's sales page: called as
    ``product_money_links(product=, viewer=)``; returns a list of ``(label, url)``. Connected
    by ``sales`` (``sales.pages.money_links``).""",
)
