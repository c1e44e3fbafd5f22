"""The one set of test builders: plain functions, one per thing, importable from any test.

State is built the way the platform builds it: accounts through ``create_user`` and
``role_grant``, ideas through ``idea_create`` / ``idea_publish``, their states through the state
machine (``idea_transition``) and the review (``review_decide``), funding contributions through
``contribution_record_funding``. Only what a test must control directly is a plain row (see
``approve_contribution``).

The fixtures in ``tests/conftest.py`` (``make_user``) and the per-app ``conftest.py`` files wrap
these builders; a test that needs no fixture imports them: ``from tests.factories import …``.
"""

from datetime import UTC, date, datetime, timedelta
from itertools import count

from django.utils import timezone

from accounts.models import User
from accounts.services import role_grant
from contributions.models import Contribution, ContributionStatus
from contributions.services import contribution_record_funding
from funding.models import Pledge, PledgeStatus, Product
from funding.services import review_decide, round_open
from ideas.models import Idea, IdeaStatus, IdeaTransition
from ideas.services import idea_create, idea_publish
from ideas.transitions import idea_transition
from tests.helpers import PASSWORD

# A funding day safely before the periods the payouts tests record (January 2026 onwards).
FUNDED_AT = datetime(2025, 12, 1, 12, tzinfo=UTC)

_serial = count(1)

SUMMARY = "Boils water with sunlight."
BODY = "It **works**."


def make_user(username: str, *, verified: bool = True, role: str | None = None, **extra) -> User:
    """A saved member signing in with ``PASSWORD``; ``role`` is "reviewer" or "finance".
    Joined 30 days ago unless ``date_joined`` says otherwise: an established member, whose
    votes count at once (``VOTE_MIN_ACCOUNT_AGE``); a ``language`` given is one they chose
    (``language_chosen``) unless said otherwise."""
    extra.setdefault("date_joined", timezone.now() - timedelta(days=30))
    if extra.get("language"):
        extra.setdefault("language_chosen", True)
    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        email_verified=verified,
        **extra,
    )
    if role:
        role_grant(user=user, role=role)
    return user


def make_idea(*, creator, title: str = "A solar kettle", publish: bool = True, **fields) -> Idea:
    """An idea through ``idea_create`` (a draft), published with ``idea_publish`` unless
    ``publish=False``. ``fields`` go to ``idea_create`` (summary, body, category, tags, video)."""
    values = {"summary": SUMMARY, "body": BODY, **fields}
    idea = idea_create(creator=creator, title=title, **values)
    if publish:
        idea_publish(idea=idea, actor=creator)
    return idea


def idea_in_voting(
    creator, *, title: str = "A solar kettle", days_left: int = 60, category=None
) -> Idea:
    """An idea open for voting with ``days_left`` days of its window left (negative: ended).
    Opened through the state machine, not ``idea_publish``: no notification, any deadline."""
    idea = make_idea(creator=creator, title=title, category=category, publish=False)
    now = timezone.now()
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.VOTING,
        actor=creator,
        reason="Published.",
        published_at=now,
        voting_deadline=now + timedelta(days=days_left),
    )
    return idea


def idea_in_review(creator, **kwargs) -> Idea:
    """An idea that reached the vote threshold and waits for a reviewer."""
    idea = idea_in_voting(creator, **kwargs)
    idea_transition(idea=idea, to_status=IdeaStatus.REVIEW, reason="Reached the threshold.")
    return idea


def idea_in_funding(
    creator, reviewer, *, goal: int = 10_000, currency: str = "EUR", **kwargs
) -> Idea:
    """An idea a reviewer approved for funding (``review_decide``): 15 % fee, 2 points per unit."""
    idea = idea_in_review(creator, **kwargs)
    review_decide(
        idea=idea,
        reviewer=reviewer,
        decision="approve",
        reason="Good plan.",
        funding_goal=goal,
        currency=currency,
        platform_fee_bp=1500,
        points_per_unit=2,
    )
    idea.refresh_from_db()
    return idea


def make_product(
    creator,
    *,
    reviewer=None,
    title: str | None = None,
    currency: str = "EUR",
    goal: int = 500_000,
    fee_bp: int = 1500,
    points_per_unit: int = 1,
    pledges: dict | None = None,
    funded_at: datetime | None = None,
) -> Product:
    """A funded product, the way the platform makes one: the idea walks voting → review →
    funding → funded through ``idea_transition``, then its Product is created (as the round's
    closing does). ``pledges`` maps members to pledged minor units; each becomes a collected
    pledge and an approved funding contribution of pledged major units × points_per_unit.
    ``funded_at`` dates the funding in the past (periods may start only from that day)."""
    idea = idea_in_review(creator, title=title or f"Idea number {next(_serial)}")
    now = timezone.now()
    idea_transition(idea=idea, to_status=IdeaStatus.FUNDING, actor=reviewer, reason="A good idea.")
    terms = round_open(
        idea=idea,
        decision=None,
        funding_goal=goal,
        currency=currency,
        funding_deadline=now + timedelta(days=30),
        platform_fee_bp=fee_bp,
        points_per_unit=points_per_unit,
    )
    pledge_rows = [
        Pledge.objects.create(idea=idea, member=member, amount=amount, currency=currency)
        for member, amount in (pledges or {}).items()
    ]
    idea_transition(idea=idea, to_status=IdeaStatus.FUNDED, reason="Goal met.")
    product = Product.objects.create(
        idea=idea, funding_round=terms, amount_raised=sum(p.amount for p in pledge_rows)
    )
    for pledge in pledge_rows:
        Pledge.objects.filter(pk=pledge.pk).update(status=PledgeStatus.COLLECTED)
        contribution_record_funding(
            pledge=pledge, points=pledge.amount // 100 * points_per_unit, decided_by=None
        )
    if funded_at is not None:
        IdeaTransition.objects.filter(idea=idea, to_status=IdeaStatus.FUNDED).update(
            created_at=funded_at
        )
        Product.objects.filter(pk=product.pk).update(created_at=funded_at)
        product.refresh_from_db()
    return product


def approve_contribution(
    product, member, points: int, *, decided: datetime | date | None = None
) -> Contribution:
    """An approved design contribution of ``points`` to ``product``, decided at ``decided``
    (a date means noon UTC; default 2026-01-01). A plain row: the decision time is the test's
    input (settlements count what was approved by a period's end), and the review service
    stamps "now"."""
    if decided is None:
        decided = datetime(2026, 1, 1, tzinfo=UTC)
    elif not isinstance(decided, datetime):
        decided = datetime(decided.year, decided.month, decided.day, 12, tzinfo=UTC)
    return Contribution.objects.create(
        idea=product.idea,
        member=member,
        kind="design",
        description="Work",
        proposed_points=points,
        points=points,
        status=ContributionStatus.APPROVED,
        decided_at=decided,
    )


def give_destination(member, *, iban: str | None = None) -> None:
    """A saved IBAN payout destination (a plain row: no change log, no e-mail)."""
    from schwifty import IBAN

    from payouts.destinations import clean, encrypt, mask
    from payouts.models import PayoutDestination

    number = iban or IBAN.generate("DE", bank_code="37040044", account_code=f"{member.pk:010d}")
    details = clean(kind="iban", iban=str(number), holder=member.public_name)
    PayoutDestination.objects.update_or_create(
        member=member,
        defaults={"kind": details.kind, "secret": encrypt(details), "masked": mask(details)},
    )


def book_totals(product, *, day, revenue: int = 0, costs: int = 0, by=None):
    """Lines behind a period's totals for tests of what comes after (settling, the ledger):
    one ``migrated`` adjustment line holding ``revenue`` and ``costs`` on ``day``, as a period
    typed before sales records became (sales' own tests build real sales lines)."""
    from sales.models import CostAdjustment

    if not revenue and not costs:
        return None
    return CostAdjustment.objects.create(
        product=product, date=day, revenue=revenue, costs=costs, currency=product.currency,
        reason="test", origin="migrated", proposed_by=by or product.creator,
        approved_at=datetime.now(UTC),
    )  # fmt: skip
