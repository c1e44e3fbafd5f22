"""What products shows on pages, composed here and passed to templates in the context.

``product_box`` is the product page's life panels (the progress strip, milestones, timeline,
abandonment) and the place of the money panels; ``contributions`` renders the product page but
may not import ``products``: it calls its hook ``contributions.hooks.product_life_box``, which
``ProductsConfig.ready()`` connects here. ``idea_strip`` is the idea page's progress strip, through
``ideas.hooks.idea_product_strip``.
"""

from __future__ import annotations

from django.utils import timezone

from accounts.roles import is_reviewer

from . import rules, selectors
from .life_models import Abandonment, Stage
from .timeline import timeline_rows


def life_summary(product, *, now=None) -> dict:
    """The product's life at a glance: its stage, next milestone, last creator update, and
    whether it has been quiet (no update for ``QUIET_DAYS``). Pages and the API read this."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    life = selectors.life_of(product)
    nxt = selectors.next_milestone(product=product)
    update = selectors.last_update(idea=product.idea)
    since = update.created_at if update else product.created_at
    quiet_days = (now - since).days
    return {
        "life": life,
        "stage": life.stage,
        "ending": life.ending,
        "stage_since": life.stage_since,
        "next_milestone": nxt,
        "next_overdue": bool(nxt and nxt.overdue_on(today)),
        "last_update": update,
        "quiet": life.stage != Stage.ENDED and quiet_days >= rules.QUIET_DAYS,
        "quiet_days": quiet_days,
        "today": today,
    }


def strip_steps(stage: str, ending: str) -> list[dict]:
    """The stages as steps of the strip: done, current or to come."""
    at = rules.STAGE_ORDER.index(stage)
    return [
        {
            "value": s.value,
            "label": s.label,
            "state": "done" if i < at else ("current" if i == at else "todo"),
        }
        for i, s in enumerate(rules.STAGE_ORDER)
    ]


def _strip(product, summary: dict) -> dict:
    return {
        **summary,
        "show": True,
        "steps": strip_steps(summary["stage"], summary["ending"]),
        "product": product,
    }


def money_box(*, product, member) -> dict:
    """The budget and expenses panels (``products/_product_money.html``): products.money."""
    from .money.pages import money_box as panels

    return panels(product=product, member=member)


def product_box(*, product, member) -> dict:
    """The product page's life panels (``products/_product_life.html``)."""
    summary = life_summary(product)
    milestones = list(selectors.milestones_of(product=product))
    for m in milestones:
        m.overdue = m.overdue_on(summary["today"])
    abandonment = selectors.abandonment_of(product=product)
    signed_in = bool(member and member.is_authenticated)
    return {
        "show": True,
        "strip": _strip(product, summary),
        "milestones": milestones,
        "timeline": timeline_rows(selectors.timeline(product=product)),
        "abandonment": abandonment,
        "abandonment_asked": bool(abandonment and abandonment.status == Abandonment.Status.ASKED),
        "may_work": signed_in
        and (
            rules.may_manage_product(product=product, member=member) is None or is_reviewer(member)
        ),
        # h-money: the budget (raised, collected, spent, committed, refunded, available) and the
        # expenses with their receipts go here.
        "money": money_box(product=product, member=member),
    }


def idea_strip(*, idea) -> dict:
    """The idea page's progress strip once the idea is a product, else ``{"show": False}``."""
    product = selectors.product_of_idea(idea=idea)
    if product is None:
        return {"show": False}
    return {"show": True, **_strip(product, life_summary(product))}
