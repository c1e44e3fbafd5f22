"""Review decisions, pledges and the all-or-nothing close of a funding round (SPEC section 2)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.permissions import email_verified_or_not_required
from accounts.roles import is_finance, is_reviewer
from contributions.services import contribution_record_funding
from core.errors import Conflict, NotAllowed, ValidationFailed
from core.money import minor_per_major
from ideas.models import Idea, IdeaStatus
from ideas.transitions import idea_transition
from notifications.services import notify

from .models import (
    Payment,
    Pledge,
    PledgeStatus,
    Product,
    ReviewDecision,
    ReviewOutcome,
)
from .payments import payment_adapter

MAX_PLEDGE = 10**12  # minor units; a sanity bound, far above any real pledge
MAX_GOAL = 10**13
MAX_FUNDING_DAYS = 365


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


# --- Review ---------------------------------------------------------------------------------


def review_check_terms(
    *,
    funding_goal,
    currency,
    funding_deadline,
    platform_fee_bp,
    points_per_unit,
    now: datetime,
) -> dict:
    """Validate approval terms; the funding fields to write on the idea. Field errors name the
    field: the goal is at least one major unit, the fee 1000–2500 bp, the deadline in the
    future (default FUNDING_WINDOW_DAYS), points per unit ≥ 1 (default 1)."""
    errors: dict[str, list[str]] = {}
    currency = (currency or settings.DEFAULT_CURRENCY).upper()
    if currency not in settings.CURRENCIES:
        errors["currency"] = [f"Choose one of {', '.join(settings.CURRENCIES)}."]
    unit = minor_per_major(currency)
    if funding_goal is None:
        errors["funding_goal"] = ["An approval needs a funding goal (in minor units)."]
    elif isinstance(funding_goal, bool) or not isinstance(funding_goal, int):
        errors["funding_goal"] = ["The funding goal is a whole number of minor units."]
    elif not unit <= funding_goal <= MAX_GOAL:
        errors["funding_goal"] = [f"The funding goal is at least {unit} (one {currency})."]
    if platform_fee_bp is None:
        errors["platform_fee_bp"] = ["An approval needs the platform fee (1000–2500 bp)."]
    elif not isinstance(platform_fee_bp, int) or not 1000 <= platform_fee_bp <= 2500:
        errors["platform_fee_bp"] = ["The platform fee is between 1000 and 2500 basis points."]
    if points_per_unit is None:
        points_per_unit = 1
    if not isinstance(points_per_unit, int) or not 1 <= points_per_unit <= 1000:
        errors["points_per_unit"] = ["Points per unit is a whole number from 1 to 1000."]
    if funding_deadline is None:
        funding_deadline = now + timedelta(days=settings.FUNDING_WINDOW_DAYS)
    elif funding_deadline <= now + timedelta(hours=1):
        errors["funding_deadline"] = ["The funding deadline must be at least an hour away."]
    elif funding_deadline > now + timedelta(days=MAX_FUNDING_DAYS):
        errors["funding_deadline"] = [f"A round lasts at most {MAX_FUNDING_DAYS} days."]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return {
        "funding_goal": funding_goal,
        "currency": currency,
        "funding_deadline": funding_deadline,
        "platform_fee_bp": platform_fee_bp,
        "points_per_unit": points_per_unit,
    }


def review_decide(
    *,
    idea: Idea,
    reviewer,
    decision: str,
    reason: str,
    funding_goal: int | None = None,
    currency: str | None = None,
    funding_deadline: datetime | None = None,
    platform_fee_bp: int | None = None,
    points_per_unit: int | None = None,
) -> ReviewDecision:
    """A reviewer approves an idea in review for funding (with its terms) or rejects it, with a
    written reason. One decision per idea: two reviewers deciding at once get one decision
    (the idea's conditional transition picks the winner, the other gets Conflict)."""
    if not is_reviewer(reviewer):
        raise NotAllowed("Only reviewers may decide reviews.")
    if reviewer.pk == idea.creator_id:
        raise NotAllowed("You cannot review your own idea.", code="own_idea")
    if decision not in ReviewOutcome.values:
        raise _invalid("decision", "The decision is 'approve' or 'reject'.")
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", "Give the reason for your decision.")
    if len(reason) > 2000:
        raise _invalid("reason", "Keep the reason under 2000 characters.")
    if idea.status != IdeaStatus.REVIEW:
        raise Conflict(
            f"Only ideas in review can be decided; this one is {idea.get_status_display()}.",
            code="not_in_review",
        )
    terms: dict = {}
    if decision == ReviewOutcome.APPROVE:
        terms = review_check_terms(
            funding_goal=funding_goal,
            currency=currency,
            funding_deadline=funding_deadline,
            platform_fee_bp=platform_fee_bp,
            points_per_unit=points_per_unit,
            now=timezone.now(),
        )
    to_status = IdeaStatus.FUNDING if decision == ReviewOutcome.APPROVE else IdeaStatus.REJECTED
    with transaction.atomic():
        idea_transition(idea=idea, to_status=to_status, actor=reviewer, reason=reason, **terms)
        try:
            with transaction.atomic():
                made = ReviewDecision.objects.create(
                    idea=idea, reviewer=reviewer, decision=decision, reason=reason, **terms
                )
        except IntegrityError:  # pragma: no cover - the transition already refused the loser
            raise Conflict("This idea was already decided.", code="already_decided") from None
        if decision == ReviewOutcome.APPROVE:
            message = f"“{idea.title}” is approved for funding: pledges are open."
        else:
            message = f"“{idea.title}” was not approved: {reason}"
        notify(
            recipients=[idea.creator],
            kind="idea_reviewed",
            message=message,
            url=idea.get_absolute_url(),
        )
    return made


# --- Pledges --------------------------------------------------------------------------------


def _lock_round(idea_id: int) -> Idea:
    """Re-read the idea with a share lock (PostgreSQL ``FOR SHARE``).

    Prevents the pledge/close race: the close takes ``FOR UPDATE`` on the same row, so a pledge
    either commits before the close sums the pledges or waits and then sees the round closed.
    Pledges do not block each other.
    """
    qs = Idea.objects.filter(pk=idea_id)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = Idea._meta.db_table
            cursor.execute(f"SELECT id FROM {table} WHERE id = %s FOR SHARE", [idea_id])  # noqa: S608
    return qs.select_related("creator").get()


def _check_round_open(idea: Idea) -> None:
    if idea.status != IdeaStatus.FUNDING:
        raise Conflict(
            f"Pledges are closed: the idea is {idea.get_status_display().lower()}.",
            code="not_in_funding",
        )
    if idea.funding_deadline and idea.funding_deadline <= timezone.now():
        raise Conflict("The funding round has ended.", code="funding_ended")


def _check_amount(amount, currency: str) -> int:
    unit = minor_per_major(currency)
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise _invalid("amount", "The amount is a whole number of minor units (cents).")
    if amount < unit:
        raise _invalid("amount", f"Pledge at least 1 {currency} ({unit} minor units).")
    if amount > MAX_PLEDGE:
        raise _invalid("amount", "That amount is too large.")
    return amount


def pledge_check(*, idea: Idea, member) -> None:
    if member.pk == idea.creator_id:
        raise NotAllowed("You cannot pledge to your own idea.", code="own_idea")
    if not email_verified_or_not_required(member):
        raise NotAllowed(
            "Verify your e-mail address first: follow the link we sent you.",
            code="email_unverified",
        )


def pledge_create(*, idea: Idea, member, amount: int) -> Pledge:
    """Pledge ``amount`` minor units (≥ one major unit) to an idea in funding; one active pledge
    per member and idea (change it with pledge_change)."""
    pledge_check(idea=idea, member=member)
    _check_amount(amount, idea.currency)
    with transaction.atomic():
        locked = _lock_round(idea.pk)
        _check_round_open(locked)
        try:
            with transaction.atomic():
                return Pledge.objects.create(
                    idea=locked, member=member, amount=amount, currency=locked.currency
                )
        except IntegrityError:
            raise Conflict(
                "You already pledged to this idea: change or cancel that pledge.",
                code="already_pledged",
            ) from None


def _active_pledge_of(idea_id: int, member) -> Pledge:
    pledge = (
        Pledge.objects.select_for_update()
        .filter(idea_id=idea_id, member=member, status=PledgeStatus.ACTIVE)
        .first()
    )
    if pledge is None:
        from core.errors import NotFound

        raise NotFound("You have no open pledge on this idea.")
    return pledge


def pledge_change(*, idea: Idea, member, amount: int) -> Pledge:
    """Change one's active pledge while the round is open."""
    _check_amount(amount, idea.currency)
    with transaction.atomic():
        locked = _lock_round(idea.pk)
        _check_round_open(locked)
        pledge = _active_pledge_of(idea.pk, member)
        pledge.amount = amount
        pledge.save(update_fields=["amount", "updated_at"])
        return pledge


def pledge_cancel(*, idea: Idea, member) -> Pledge:
    """Cancel one's active pledge while the round is open."""
    with transaction.atomic():
        locked = _lock_round(idea.pk)
        _check_round_open(locked)
        pledge = _active_pledge_of(idea.pk, member)
        pledge.status = PledgeStatus.CANCELLED
        pledge.save(update_fields=["status", "updated_at"])
        return pledge


# --- Closing the round ----------------------------------------------------------------------


def funding_round_close(*, idea: Idea, actor=None, now: datetime | None = None) -> Product | None:
    """Close a round, all or nothing: the Product (and one approved funding contribution and one
    pending payment per pledge) if the active pledges meet the goal, else ``funding_failed`` with
    the pledges released. Before the deadline only a reviewer may close, and only once the goal
    is met. Returns the product, or None when the round failed."""
    now = now or timezone.now()
    if actor is not None and not is_reviewer(actor):
        raise NotAllowed("Only reviewers may close a funding round.")
    with transaction.atomic():
        # FOR UPDATE waits for pledges in flight (they hold FOR SHARE): every pledge committed
        # before this point is in the sum below; later ones find the round closed.
        locked = Idea.objects.select_for_update().filter(pk=idea.pk).first()
        if locked is None or locked.status != IdeaStatus.FUNDING:
            raise Conflict("This idea has no open funding round.", code="not_in_funding")
        active = list(
            Pledge.objects.select_for_update()
            .filter(idea=locked, status=PledgeStatus.ACTIVE)
            .select_related("member")
            .order_by("id")
        )
        raised = sum(p.amount for p in active)
        goal_met = raised >= (locked.funding_goal or 0)
        early = locked.funding_deadline is not None and locked.funding_deadline > now
        if early and (actor is None or not goal_met):
            raise Conflict(
                "The round closes early only once the goal is met; otherwise at its deadline.",
                code="goal_not_met",
            )
        backers = [p.member for p in active]
        if goal_met:
            product = _round_funded(locked, active, raised, actor)
        else:
            product = None
            _round_failed(locked, active, raised, actor)
        notify(
            recipients=[locked.creator],
            kind="funding_closed",
            message=_closing_message(locked, raised, funded=goal_met, yours=True),
            url=locked.get_absolute_url(),
        )
        notify(
            recipients=[b for b in backers if b.pk != locked.creator_id],
            kind="funding_closed",
            message=_closing_message(locked, raised, funded=goal_met, yours=False),
            url=locked.get_absolute_url(),
        )
    idea.status = locked.status
    return product


def _round_funded(idea: Idea, active: list[Pledge], raised: int, actor) -> Product:
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.FUNDED,
        actor=actor,
        reason=f"The round closed with {raised} of {idea.funding_goal} {idea.currency} "
        "(minor units) pledged: funded.",
    )
    product = Product.objects.create(
        idea=idea,
        currency=idea.currency,
        funding_goal=idea.funding_goal,
        amount_raised=raised,
        platform_fee_bp=idea.platform_fee_bp,
        points_per_unit=idea.points_per_unit or 1,
    )
    Pledge.objects.filter(pk__in=[p.pk for p in active]).update(
        status=PledgeStatus.COLLECTED, updated_at=timezone.now()
    )
    unit = minor_per_major(idea.currency)
    adapter = payment_adapter()
    for pledge in active:
        pledge.status = PledgeStatus.COLLECTED
        points = (pledge.amount // unit) * product.points_per_unit
        contribution_record_funding(pledge=pledge, points=points, decided_by=actor)
        adapter.payment_request(pledge=pledge)
    return product


def _round_failed(idea: Idea, active: list[Pledge], raised: int, actor) -> None:
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.FUNDING_FAILED,
        actor=actor,
        reason=f"The round closed with {raised} of {idea.funding_goal} {idea.currency} "
        "(minor units) pledged: below the goal, pledges released.",
    )
    Pledge.objects.filter(pk__in=[p.pk for p in active]).update(
        status=PledgeStatus.RELEASED, updated_at=timezone.now()
    )


def _closing_message(idea: Idea, raised: int, *, funded: bool, yours: bool) -> str:
    unit = minor_per_major(idea.currency)
    amount = f"{raised / unit:,.2f} {idea.currency}" if unit != 1 else f"{raised} {idea.currency}"
    if funded:
        who = "Your idea" if yours else "An idea you backed,"
        return f"{who} “{idea.title}” is funded with {amount}: it becomes a product."
    if yours:
        return f"The funding round of “{idea.title}” ended at {amount}, below its goal."
    return (
        f"The funding round of “{idea.title}” ended below its goal: your pledge is released "
        "and nothing will be collected."
    )


def funding_rounds_close_due(*, now: datetime | None = None) -> dict[str, int]:
    """The beat job: close every round whose deadline has passed. Safe to run twice."""
    now = now or timezone.now()
    done = {"funded": 0, "failed": 0}
    due = Idea.objects.filter(status=IdeaStatus.FUNDING, funding_deadline__lte=now)
    for idea in due.order_by("funding_deadline", "id"):
        try:
            product = funding_round_close(idea=idea, actor=None, now=now)
        except Conflict:
            continue  # closed by someone else meanwhile
        done["funded" if product else "failed"] += 1
    return done


# --- After funding --------------------------------------------------------------------------


def product_advance(*, product: Product, actor, reason: str = "") -> Product:
    """Move a product's idea on: funded → in production → launched (reviewers)."""
    if not is_reviewer(actor):
        raise NotAllowed("Only reviewers may move a product on.")
    idea = product.idea
    nxt = {
        IdeaStatus.FUNDED: IdeaStatus.IN_PRODUCTION,
        IdeaStatus.IN_PRODUCTION: IdeaStatus.LAUNCHED,
    }.get(idea.status)
    if nxt is None:
        raise Conflict(f"A product in {idea.status!r} has no next stage.", code="invalid_state")
    with transaction.atomic():
        idea_transition(idea=idea, to_status=nxt, actor=actor, reason=reason or f"Now {nxt}.")
        notify(
            recipients=[idea.creator],
            kind="product_stage",
            message=f"“{idea.title}” is now {idea.get_status_display().lower()}.",
            url=idea.get_absolute_url(),
        )
    return product


def payment_confirm(*, payment: Payment, actor, reference: str) -> Payment:
    """Finance records that a collected pledge's money arrived (the manual adapter)."""
    if not is_finance(actor):
        raise NotAllowed("Only finance staff may confirm payments.")
    reference = (reference or "").strip()
    if not reference:
        raise _invalid("reference", "Give the payment's reference (bank transfer id, receipt…).")
    if len(reference) > 120:
        raise _invalid("reference", "Keep the reference under 120 characters.")
    with transaction.atomic():
        return payment_adapter(payment.provider).payment_confirm(
            payment=payment, actor=actor, reference=reference
        )
