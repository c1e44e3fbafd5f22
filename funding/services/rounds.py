"""Closing a funding round, all or nothing, and moving a funded product on."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from core.errors import Conflict
from core.money import format_money
from core.phrases import Said, label, money, said
from core.rules import check
from core.text import lowered, sentence
from ideas.models import Idea, IdeaStatus
from ideas.transitions import idea_transition
from notifications.services import notify

from .. import phrases, rules
from ..hooks import pledge_funded
from ..models import Pledge, PledgeStatus, Product
from ..payments import payment_adapter

STATUS_FIELD = "ideas.IdeaTransition.to_status"  # the labels of an idea's states


def funding_round_close(*, idea: Idea, actor=None, now: datetime | None = None) -> Product | None:
    """Close a round, all or nothing: the Product (and one approved funding contribution and one
    pending payment per pledge) if the active pledges meet the goal, else ``funding_failed`` with
    the pledges released. Before the deadline only a reviewer may close, and only once the goal
    is met (``funding.rules.may_close_round``). Returns the product, or None when it failed."""
    now = now or timezone.now()
    with transaction.atomic():
        # FOR UPDATE waits for pledges in flight (they hold FOR SHARE): every pledge committed
        # before this point is in the sum below; later ones find the round closed.
        locked = (
            Idea.objects.select_for_update(of=("self",))
            .select_related("creator", "funding_round")
            .filter(pk=idea.pk)
            .first()
        )
        if locked is None:
            raise Conflict(gettext("This idea has no open funding round."), code="not_in_funding")
        active = list(
            Pledge.objects.select_for_update()
            .filter(idea=locked, status=PledgeStatus.ACTIVE)
            .select_related("member")
            .order_by("id")
        )
        raised = sum(p.amount for p in active)
        check(rules.may_close_round(idea=locked, actor=actor, raised=raised, now=now))
        goal_met = raised >= locked.funding_round.goal
        if goal_met:
            product = _round_funded(locked, active, raised, actor)
        else:
            product = None
            _round_failed(locked, active, raised, actor)
        _notify_closed(locked, [p.member for p in active], raised, funded=goal_met)
    idea.status = locked.status
    return product


def _closing_reason(idea: Idea, raised: int, funded: bool) -> Said:
    terms = idea.funding_round
    return said(
        phrases.ROUND_FUNDED if funded else phrases.ROUND_FAILED,
        raised=money(raised, terms.currency),
        goal=money(terms.goal, terms.currency),
    )


def _round_funded(idea: Idea, active: list[Pledge], raised: int, actor) -> Product:
    terms = idea.funding_round
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.FUNDED,
        actor=actor,
        reason=_closing_reason(idea, raised, funded=True),
    )
    product = Product.objects.create(idea=idea, funding_round=terms, amount_raised=raised)
    Pledge.objects.filter(pk__in=[p.pk for p in active]).update(
        status=PledgeStatus.COLLECTED, updated_at=timezone.now()
    )
    adapter = payment_adapter()
    due_at = timezone.now() + timedelta(days=settings.PAYMENT_GRACE_DAYS)
    for pledge in active:
        pledge.status = PledgeStatus.COLLECTED
        points = rules.funding_points(
            amount=pledge.amount, currency=terms.currency, points_per_unit=terms.points_per_unit
        )
        pledge_funded(pledge=pledge, points=points, decided_by=actor)
        adapter.payment_request(pledge=pledge, due_at=due_at)
    return product


def _round_failed(idea: Idea, active: list[Pledge], raised: int, actor) -> None:
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.FUNDING_FAILED,
        actor=actor,
        reason=_closing_reason(idea, raised, funded=False),
    )
    Pledge.objects.filter(pk__in=[p.pk for p in active]).update(
        status=PledgeStatus.RELEASED, updated_at=timezone.now()
    )
    payment_adapter().round_failed(pledges=active)


def _notify_closed(idea: Idea, backers: list, raised: int, *, funded: bool) -> None:
    notify(
        recipients=[idea.creator],
        kind="funding_closed",
        message=_closing_message(idea, raised, funded=funded, yours=True),
        url=idea.get_absolute_url(),
    )
    notify(
        recipients=[b for b in backers if b.pk != idea.creator_id],
        kind="funding_closed",
        message=_closing_message(idea, raised, funded=funded, yours=False),
        url=idea.get_absolute_url(),
    )


def _closing_message(idea: Idea, raised: int, *, funded: bool, yours: bool) -> str:
    """Stored text read later by others: each recipient's language (notify), amounts in English
    notation whoever's request closed the round."""
    amount = format_money(raised, idea.funding_round.currency, locale="en")
    if funded and yours:
        template = gettext_lazy(
            "Your idea “%(title)s” is funded with %(amount)s: it becomes a product."
        )
    elif funded:
        template = gettext_lazy(
            "An idea you backed, “%(title)s”, is funded with %(amount)s: it becomes a product."
        )
    elif yours:
        template = gettext_lazy(
            "The funding round of “%(title)s” ended at %(amount)s, below its goal."
        )
    else:
        template = gettext_lazy(
            "The funding round of “%(title)s” ended below its goal: your pledge is "
            "released and nothing will be collected."
        )
    return sentence(template, title=idea.title, amount=amount)


def funding_rounds_close_due(*, now: datetime | None = None) -> dict[str, int]:
    """The beat job: close every round whose deadline has passed. Safe to run twice."""
    now = now or timezone.now()
    done = {"funded": 0, "failed": 0}
    due = Idea.objects.filter(status=IdeaStatus.FUNDING, funding_round__deadline__lte=now)
    for idea in due.order_by("funding_round__deadline", "id"):
        try:
            product = funding_round_close(idea=idea, actor=None, now=now)
        except Conflict:
            continue  # closed by someone else meanwhile
        done["funded" if product else "failed"] += 1
    return done


# --- After funding --------------------------------------------------------------------------


def product_advance(*, product: Product, actor, reason: str = "") -> Product:
    """Move a product's idea on: funded → in production → launched (reviewers)."""
    idea = product.idea
    check(rules.may_advance_product(idea=idea, actor=actor))
    nxt = rules.NEXT_STAGE[idea.status]
    with transaction.atomic():
        idea_transition(
            idea=idea,
            to_status=nxt,
            actor=actor,
            reason=reason or said(phrases.PRODUCT_STAGE, stage=label(STATUS_FIELD, nxt)),
        )
        notify(
            recipients=[idea.creator],
            kind="product_stage",
            message=sentence(
                gettext_lazy("“%(title)s” is now %(lower)s."),
                title=idea.title,
                lower=lowered(IdeaStatus(nxt).label),
            ),
            url=idea.get_absolute_url(),
        )
    return product
