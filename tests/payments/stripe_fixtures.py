"""The Stripe tests' fixtures and helpers (registered for tests/payments by conftest.py):
localstripe behind the Checkout fake, the settings that point the adapter at it, every SDK
request checked against the pinned SDK's typed parameters, a backer's trip through Checkout,
and signed webhook events."""

import hashlib
import hmac
import json
import time
import urllib.parse

import pytest

from funding.models import Payment
from funding.services import funding_round_close
from payments import stripe_adapter
from tests.factories import idea_in_funding
from tests.payments.stripe_fake import KEY, StripeFake
from tests.payments.stripe_requests import Recorder

GOOD, DECLINED, NEEDS_3DS = "4242424242424242", "4000000000000341", "4000002760003184"
WEBHOOK_SECRET = "whsec_test_ahhha"


@pytest.fixture(scope="session")
def stripe_fake():
    fake = StripeFake().start()
    yield fake
    fake.stop()


@pytest.fixture
def stripe_settings(settings, stripe_fake):
    settings.PAYMENT_ADAPTER = "stripe"
    settings.STRIPE_SECRET_KEY = KEY
    settings.STRIPE_API_BASE = stripe_fake.base
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.SITE_URL = "http://testserver"


def pledge_with_card(client, stripe_fake, idea, member, amount: int, card: str = GOOD):
    """What a backer does: confirm a pledge, go through Checkout with a card, come back."""
    client.force_login(member)
    response = client.post(f"/ideas/{idea.pk}/pledge/", {"amount": str(amount)})
    assert response.status_code == 302 and "/payments/pledges/" in response["Location"]
    to_checkout = client.get(response["Location"])
    session_id = to_checkout["Location"].rsplit("/", 1)[1]
    back = urllib.parse.urlsplit(stripe_fake.pay(session_id, card))
    page = client.get(f"{back.path}?{back.query}", follow=True)
    assert page.status_code == 200
    client.last_page = page.content.decode()
    return idea.pledges.get(member=member)


@pytest.fixture
def round_with_cards(people, client, stripe_fake):
    def make(cards: dict):
        idea = idea_in_funding(people.carla, people.rita, goal=5_000)
        for name, (amount, card) in cards.items():
            pledge_with_card(client, stripe_fake, idea, getattr(people, name), amount, card)
        return idea

    return make


def close(idea, people, capture):
    with capture(execute=True):
        funding_round_close(idea=idea, actor=people.rita)


@pytest.fixture
def checked_requests(monkeypatch):
    """Every request the SDK sends during the test, checked at its end against the pinned
    SDK's typed parameters (tests/payments/stripe_requests.py)."""
    recorder = Recorder().install(monkeypatch)
    yield recorder
    assert recorder.problems() == []


# --- Webhooks -----------------------------------------------------------------------------------


def signed(client, event: dict, secret: str = WEBHOOK_SECRET):
    payload = json.dumps(event)
    stamp = int(time.time())
    signature = hmac.new(secret.encode(), f"{stamp}.{payload}".encode(), hashlib.sha256)
    return client.post(
        "/payments/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=f"t={stamp},v1={signature.hexdigest()}",
    )


def event(kind: str, obj: dict, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{time.monotonic_ns()}",
        "object": "event",
        "type": kind,
        "data": {"object": obj},
    }


@pytest.fixture
def pending_payment(people, round_with_cards, django_capture_on_commit_callbacks, monkeypatch):
    """A funded payment whose charge has been created but not yet recorded."""
    monkeypatch.setattr(stripe_adapter, "record", lambda payment, intent: "pending")
    idea = round_with_cards({"alice": (5_000, GOOD)})
    close(idea, people, django_capture_on_commit_callbacks)
    monkeypatch.undo()
    return Payment.objects.get(pledge__idea=idea)
