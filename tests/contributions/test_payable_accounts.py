"""Approved points open the member's payable account in the product's currency
(``contributions.hooks.points_approved``, provided by payouts), so a product's first settlement
finds its contributors' accounts instead of opening a million at once."""

import pytest

from contributions.hooks import points_approved
from contributions.services import contribution_approve, contribution_reject, contribution_submit
from funding.services import funding_round_close, pledge_create
from payouts.models import Account
from payouts.services.ledger import payable_account_open
from tests.factories import idea_in_funding

pytestmark = pytest.mark.django_db


def payables(member) -> list[str]:
    return list(
        Account.objects.filter(kind="member_payable", member=member).values_list(
            "currency", flat=True
        )
    )


def claim(product, member):
    return contribution_submit(
        product=product, member=member, kind="design", description="CAD", proposed_points=40
    )


def test_the_payouts_app_provides_the_points_approved_hook():
    assert points_approved._provider is payable_account_open


def test_an_approved_claim_opens_the_members_payable_account_once(product, people):
    assert payables(people.alice) == []
    contribution_approve(
        contribution=claim(product, people.alice), reviewer=people.reviewer, points=25
    )
    assert payables(people.alice) == [product.currency]
    contribution_approve(
        contribution=claim(product, people.alice), reviewer=people.reviewer, points=5
    )
    assert payables(people.alice) == [product.currency]  # still one


def test_a_rejected_claim_opens_no_account(product, people):
    contribution_reject(
        contribution=claim(product, people.alice), reviewer=people.reviewer, reason="Not done."
    )
    assert payables(people.alice) == []


def test_a_funded_round_opens_every_backers_payable_account(people):
    idea = idea_in_funding(people.creator, people.reviewer, goal=10_000)
    pledge_create(idea=idea, member=people.alice, amount=6_000)
    pledge_create(idea=idea, member=people.bob, amount=4_000)
    assert payables(people.alice) == payables(people.bob) == []
    funding_round_close(idea=idea, actor=people.reviewer)
    assert payables(people.alice) == payables(people.bob) == [idea.funding_round.currency]
