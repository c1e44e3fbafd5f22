"""The contributions rules: each answers with a refusal or None, and the services, pages and API
all follow that one answer."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from contributions import rules
from contributions.services import (
    REASON_MISSING,
    contribution_approve,
    contribution_reject,
    contribution_submit,
)
from core.errors import Conflict, NotAllowed, ValidationFailed
from tests.helpers import api_client_as


@pytest.fixture
def pending(product, people):
    return contribution_submit(
        product=product,
        member=people.alice,
        kind="design",
        description="Drew the hinge.",
        proposed_points=20,
    )


def test_who_may_claim(product, people):
    assert rules.may_claim(member=people.alice, product=product) is None
    assert rules.may_claim(member=AnonymousUser(), product=product).code == "not_authenticated"
    assert isinstance(rules.may_claim(member=people.unverified, product=product), NotAllowed)
    refusal = rules.may_claim(member=people.alice, product=None)
    assert isinstance(refusal, ValidationFailed)
    assert refusal.fields == {"idea": [refusal.message]}


def test_who_may_endorse(people, pending):
    assert rules.may_endorse(contribution=pending, actor=people.creator) is None
    for someone in (people.alice, people.bob, people.reviewer, AnonymousUser()):
        assert isinstance(rules.may_endorse(contribution=pending, actor=someone), NotAllowed)


def test_a_decided_claim_may_not_be_endorsed(people, pending):
    contribution_approve(contribution=pending, reviewer=people.reviewer, points=5)
    assert isinstance(rules.may_endorse(contribution=pending, actor=people.creator), Conflict)


def test_who_may_decide(people, pending, product):
    assert rules.may_decide(contribution=pending, reviewer=people.reviewer) is None
    for someone in (people.alice, people.creator, people.finance):
        assert isinstance(rules.may_decide(contribution=pending, reviewer=someone), NotAllowed)
    own = contribution_submit(
        product=product, member=people.reviewer, kind="other", description="x", proposed_points=1
    )
    assert isinstance(rules.may_decide(contribution=own, reviewer=people.reviewer), NotAllowed)
    assert rules.may_decide(contribution=own, reviewer=people.reviewer2) is None


def test_who_may_see_a_pending_claim_and_its_evidence(people, pending):
    for someone in (people.alice, people.creator, people.reviewer):
        assert rules.may_see(contribution=pending, viewer=someone) is None
    for someone in (people.bob, AnonymousUser(), None):
        assert rules.may_see(contribution=pending, viewer=someone) is not None
    contribution_approve(contribution=pending, reviewer=people.reviewer, points=5)
    assert rules.may_see(contribution=pending, viewer=None) is None


def test_the_queue_shows_the_rules_refusal_on_a_reviewers_own_claim(product, people):
    contribution_submit(
        product=product, member=people.reviewer, kind="other", description="x", proposed_points=1
    )
    client = Client()
    client.force_login(people.reviewer)
    html = client.get("/review/contributions/").content.decode()
    assert "You cannot decide your own claim; another reviewer must." in html


def test_an_unverified_member_reads_why_they_cannot_claim(product, people):
    client = Client()
    client.force_login(people.unverified)
    html = client.get(f"/products/{product.pk}/").content.decode()
    assert rules.may_claim(member=people.unverified, product=product).message in html


@pytest.mark.parametrize("reason", ["", " "])
def test_a_rejection_without_a_reason_says_what_to_do_on_the_field(people, pending, reason):
    api = api_client_as(people.reviewer)
    response = api.post(f"/api/v1/contributions/{pending.pk}/reject/", {"reason": reason})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["reason"] == [REASON_MISSING]
    with pytest.raises(ValidationFailed) as exc:
        contribution_reject(contribution=pending, reviewer=people.reviewer, reason=reason)
    assert (exc.value.message, exc.value.fields) == (REASON_MISSING, {"reason": [REASON_MISSING]})
