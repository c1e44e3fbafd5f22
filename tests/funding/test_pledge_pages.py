"""The pledge box without JavaScript: type an amount as you write it, see it, confirm it."""

import re

import pytest
from django.test import Client

from funding.models import Pledge, PledgeStatus
from funding.services import pledge_create
from tests.factories import idea_in_funding

pytestmark = pytest.mark.django_db

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def box(response) -> str:
    html = response.content.decode()
    return html[
        html.index('id="funding-area"') : html.index("</section>", html.index("funding-area"))
    ]


def once_token(html: str) -> str:
    return re.search(r'name="_once" value="([0-9a-f]+)"', html).group(1)


def test_a_german_reader_types_12_50_and_is_asked_to_confirm_12_50_eur(people):
    idea = idea_in_funding(people.carla, people.rita)
    page = signed_in(people.alice).get(f"/ideas/{idea.pk}/", {"pledge-amount": "12,50"}, **GERMAN)
    shown = box(page)
    assert "You pledge <strong>12,50 €</strong>." in shown
    assert 'name="amount" value="1250"' in shown
    assert ">Confirm<" in shown and ">Change<" in shown
    assert not Pledge.objects.exists()


def test_confirming_stores_the_amount_shown_and_thanks_the_member(people):
    idea = idea_in_funding(people.carla, people.rita)
    client = signed_in(people.alice)
    preview = client.get(f"/ideas/{idea.pk}/", {"pledge-amount": "1.234,50"}, **GERMAN)
    assert "You pledge <strong>1.234,50 €</strong>." in box(preview)
    response = client.post(
        f"/ideas/{idea.pk}/pledge/",
        {"amount": "123450", "_once": once_token(box(preview))},
        follow=True,
        **GERMAN,
    )
    pledge = Pledge.objects.get(idea=idea, member=people.alice)
    assert (pledge.amount, pledge.currency, pledge.status) == (123_450, "EUR", "active")
    html = response.content.decode()
    assert "Thank you: you pledge 1.234,50 €." in html
    assert 'Your pledge: <strong id="pledge-amount">1.234,50 €</strong>' in html


def test_an_english_reader_is_told_how_12_50_was_read_and_nothing_is_stored(people):
    idea = idea_in_funding(people.carla, people.rita)
    page = signed_in(people.alice).get(f"/ideas/{idea.pk}/", {"pledge-amount": "12,50"}, **ENGLISH)
    shown = box(page)
    assert "Confirm" not in shown
    assert "“12,50” is not an amount as written in English" in shown
    assert "write it like 1,234.50 EUR." in shown
    assert 'value="12,50"' in shown  # what they typed stays in the field
    assert not Pledge.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0,50", "Enter at least 1,00 €."),
        ("12,505", "We read “12,505” as 12.505 EUR, but EUR has 2 decimal places"),
        ("-5", "Enter a positive amount, not “-5”."),
        ("", "Enter the amount you pledge in EUR."),
        ("20.000.000.000,00", "Pledge at most 10.000.000.000,00 €."),
    ],
)
def test_amounts_that_cannot_be_pledged_are_refused_next_to_the_field(typed, message, people):
    idea = idea_in_funding(people.carla, people.rita)
    page = signed_in(people.alice).get(f"/ideas/{idea.pk}/", {"pledge-amount": typed}, **GERMAN)
    assert message in box(page)
    assert 'id="pledge-error"' in box(page)
    assert "You pledge" not in box(page)


def test_change_brings_back_the_typed_amount_to_correct_it(people):
    idea = idea_in_funding(people.carla, people.rita)
    page = signed_in(people.alice).get(f"/ideas/{idea.pk}/", {"pledge-again": "12,50"}, **GERMAN)
    shown = box(page)
    assert 'id="pledge-form"' in shown and 'value="12,50"' in shown
    assert "You pledge" not in shown


def test_a_confirmation_sent_twice_stores_one_pledge_and_answers_the_same(people):
    idea = idea_in_funding(people.carla, people.rita)
    client = signed_in(people.alice)
    form = {"amount": "1250", "_once": "a" * 32}
    first = client.post(f"/ideas/{idea.pk}/pledge/", form)
    again = client.post(f"/ideas/{idea.pk}/pledge/", form)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == f"/ideas/{idea.pk}/#funding-area"
    assert Pledge.objects.filter(idea=idea).count() == 1
    after = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "already pledged" not in after


def test_a_member_changes_their_pledge_after_confirming_the_new_amount(people):
    idea = idea_in_funding(people.carla, people.rita)
    pledge_create(idea=idea, member=people.alice, amount=3_000)
    client = signed_in(people.alice)
    preview = box(client.get(f"/ideas/{idea.pk}/", {"pledge-amount": "45"}, **GERMAN))
    assert "You change your pledge to <strong>45,00 €</strong>." in preview
    assert f'action="/ideas/{idea.pk}/pledge/change/"' in preview
    assert Pledge.objects.get(member=people.alice).amount == 3_000
    done = client.post(
        f"/ideas/{idea.pk}/pledge/change/",
        {"amount": "4500", "_once": once_token(preview)},
        follow=True,
        **GERMAN,
    )
    assert Pledge.objects.get(member=people.alice).amount == 4_500
    assert "Your pledge is now 45,00 €." in done.content.decode()


def test_a_member_cancels_their_pledge_after_confirming(people):
    idea = idea_in_funding(people.carla, people.rita)
    pledge_create(idea=idea, member=people.alice, amount=3_000)
    client = signed_in(people.alice)
    asked = box(client.get(f"/ideas/{idea.pk}/", {"pledge-cancel": "1"}))
    assert "Cancel your pledge of <strong>30.00 EUR</strong>?" in asked
    assert Pledge.objects.get(member=people.alice).status == PledgeStatus.ACTIVE
    done = client.post(
        f"/ideas/{idea.pk}/pledge/cancel/", {"_once": once_token(asked)}, follow=True
    )
    assert Pledge.objects.get(member=people.alice).status == PledgeStatus.CANCELLED
    assert "Your pledge is cancelled: nothing will be collected." in done.content.decode()


def test_a_confirmation_the_service_refuses_is_shown_and_stores_nothing(people):
    idea = idea_in_funding(people.carla, people.rita)
    done = signed_in(people.carla).post(
        f"/ideas/{idea.pk}/pledge/", {"amount": "1250", "_once": "b" * 32}, follow=True
    )
    assert "You cannot pledge to your own idea" in done.content.decode()
    assert not Pledge.objects.exists()


@pytest.mark.parametrize("amount", ["12.50", " 1250", "１２５０", "", "99"])
def test_a_tampered_confirmation_stores_nothing(amount, people):
    idea = idea_in_funding(people.carla, people.rita)
    done = signed_in(people.alice).post(
        f"/ideas/{idea.pk}/pledge/", {"amount": amount}, follow=True
    )
    assert done.status_code == 200
    html = done.content.decode()
    assert "Enter the amount again and confirm it." in html or "Pledge at least 1.00 EUR" in html
    assert not Pledge.objects.exists()


def test_visitors_are_asked_to_sign_in_and_cannot_confirm(people):
    idea = idea_in_funding(people.carla, people.rita)
    assert "Sign in to pledge" in box(Client().get(f"/ideas/{idea.pk}/"))
    response = Client().post(f"/ideas/{idea.pk}/pledge/", {"amount": "1250"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Pledge.objects.exists()


def test_asking_to_cancel_without_a_pledge_shows_the_pledge_form(people):
    idea = idea_in_funding(people.carla, people.rita)
    shown = box(signed_in(people.alice).get(f"/ideas/{idea.pk}/", {"pledge-cancel": "1"}))
    assert 'id="pledge-form"' in shown and 'id="pledge-input"' in shown
    assert "Cancel your pledge" not in shown
