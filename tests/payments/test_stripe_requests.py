"""Issue 25, finding 3: every request the Stripe adapter makes fits the pinned SDK's typed
parameters for the API version settings pin (tests/payments/stripe_requests.py), so a
parameter the version no longer accepts (``payment_method_types`` on Checkout) fails here."""

import re
import urllib.parse

import pytest
import stripe
from django.conf import settings

from funding.models import Payment
from payments import stripe_adapter
from tests.payments.stripe_fixtures import DECLINED, GOOD, close, event, signed
from tests.payments.stripe_requests import ROUTES, hints, problems

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]

# What the adapter sent for a card saved at pledge time before this change (main e204a5a).
CHECKOUT_BEFORE = {
    "mode": "setup",
    "customer": "cus_1",
    "payment_method_types": ["card"],
    "currency": "eur",
    "success_url": "http://testserver/payments/pledges/1/saved/?session_id={CHECKOUT_SESSION_ID}",
    "cancel_url": "http://testserver/ideas/1/#funding-area",
    "metadata": {"pledge": "1"},
}


def test_the_api_version_is_pinned_to_the_sdks_and_sent_with_every_request(
    people, client, stripe_fake, round_with_cards
):
    assert settings.STRIPE_API_VERSION == stripe._api_version._ApiVersion.CURRENT
    assert settings.STRIPE_API_VERSION == "2026-10-28.endive"
    stripe_fake.versions.clear()
    round_with_cards({"alice": (3_000, GOOD)})
    assert stripe_fake.versions == {settings.STRIPE_API_VERSION}


def test_the_check_refuses_payment_method_types_on_checkout_as_the_sdk_does():
    """What the pinned SDK says: SessionCreateParams has no ``payment_method_types`` (it has
    ``allowed_payment_method_types``, a filter on the dynamic methods)."""
    assert "payment_method_types" not in hints(stripe.params.checkout.SessionCreateParams)
    assert "allowed_payment_method_types" in hints(stripe.params.checkout.SessionCreateParams)
    found = problems("post", "/v1/checkout/sessions", CHECKOUT_BEFORE)
    assert "POST /v1/checkout/sessions.payment_method_types: removed in this API version" in found
    assert any("not a parameter of SessionCreateParams" in p for p in found)
    today = {k: v for k, v in CHECKOUT_BEFORE.items() if k != "payment_method_types"}
    assert problems("post", "/v1/checkout/sessions", today) == []


def test_the_check_reads_nested_fields_types_and_unknown_requests():
    item = {"quantity": "1", "price_data": {"currency": "eur", "unit_amount": 100}}
    found = problems("post", "/v1/checkout/sessions", {"mode": 3, "line_items": [item]})
    assert any(p.startswith("POST /v1/checkout/sessions.mode: 3 fits none of") for p in found)
    assert "POST /v1/checkout/sessions.line_items[0].quantity: '1' is not int" in found
    assert problems("post", "/v1/charges", {}) == [
        "POST /v1/charges: a request the check does not know (add it to ROUTES)"
    ]


def test_every_request_of_every_flow_fits_the_pinned_sdk(
    people, client, stripe_fake, round_with_cards, checked_requests, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """Save cards, charge a round (one declined, paid again through Checkout), refund by
    ``charge.refunded`` (refunds listed by Stripe), release the saved cards: every
    route the adapter uses is met, and ``checked_requests`` fails the test on any problem."""
    idea = round_with_cards({"alice": (3_000, GOOD), "bob": (2_500, DECLINED)})
    close(idea, people, django_capture_on_commit_callbacks)
    bob = Payment.objects.get(pledge__member=people.bob)
    client.force_login(people.bob)
    to_checkout = client.get(f"/payments/{bob.pk}/pay/")
    back = urllib.parse.urlsplit(stripe_fake.pay(to_checkout["Location"].rsplit("/", 1)[1], GOOD))
    client.get(f"{back.path}?{back.query}")
    alice = Payment.objects.get(pledge__member=people.alice)
    intent = stripe_fake.call("GET", f"/v1/payment_intents/{alice.provider_ref}")
    charge = {"id": intent["latest_charge"], "object": "charge", "currency": "eur",
              "payment_intent": alice.provider_ref, "metadata": {}}  # fmt: skip
    assert signed(client, event("charge.refunded", charge)).status_code == 200
    assert stripe_adapter.release(list(idea.pledges.values_list("pk", flat=True))) == 2
    met = {
        pattern
        for method, path, _ in checked_requests.requests
        for verb, pattern, _ in ROUTES
        if verb == method and re.fullmatch(pattern, path)
    }
    assert met == {pattern for _, pattern, _ in ROUTES}
    assert checked_requests.problems() == []
