import pytest

from funding.models import Pledge, PledgeStatus
from funding.services import pledge_create
from tests.factories import idea_in_funding, idea_in_voting

pytestmark = pytest.mark.django_db


def pledges_url(idea):
    return f"/api/v1/ideas/{idea.pk}/pledges/"


def test_a_member_pledges_and_the_round_shows_it(people, client_for):
    idea = idea_in_funding(people.carla, people.rita, goal=10_000)
    response = client_for(people.alice).post(pledges_url(idea), {"amount": 2_500})
    assert response.status_code == 201
    body = response.json()
    assert (body["amount"], body["currency"], body["status"]) == (2_500, "EUR", "active")
    assert body["funding"]["amount_raised"] == 2_500
    assert body["funding"]["backers"] == 1
    assert body["funding"]["percent"] == 25
    public = client_for(None).get(f"/api/v1/ideas/{idea.pk}/funding/").json()
    assert (public["amount_raised"], public["backers"], public["funding_goal"]) == (
        2_500, 1, 10_000,
    )  # fmt: skip
    assert public["seconds_left"] > 0


def test_a_member_reads_changes_and_cancels_their_pledge(people, client_for):
    idea = idea_in_funding(people.carla, people.rita)
    client = client_for(people.alice)
    client.post(pledges_url(idea), {"amount": 2_500})
    assert client.get(pledges_url(idea)).json()["amount"] == 2_500
    changed = client.patch(pledges_url(idea), {"amount": 4_000})
    assert changed.status_code == 200
    assert changed.json()["funding"]["amount_raised"] == 4_000
    cancelled = client.delete(pledges_url(idea))
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["funding"]["amount_raised"] == 0
    assert client.get(pledges_url(idea)).status_code == 404


def test_after_cancelling_a_member_may_pledge_again(people, client_for):
    idea = idea_in_funding(people.carla, people.rita)
    client = client_for(people.alice)
    client.post(pledges_url(idea), {"amount": 2_500})
    client.delete(pledges_url(idea))
    assert client.post(pledges_url(idea), {"amount": 1_000}).status_code == 201


def test_a_second_pledge_is_a_conflict_change_the_first(people, client_for):
    idea = idea_in_funding(people.carla, people.rita)
    client = client_for(people.alice)
    client.post(pledges_url(idea), {"amount": 2_500})
    again = client.post(pledges_url(idea), {"amount": 1_000})
    assert again.status_code == 409
    assert Pledge.objects.filter(idea=idea, status=PledgeStatus.ACTIVE).count() == 1


def test_nobody_pledges_to_their_own_idea(people, client_for):
    idea = idea_in_funding(people.carla, people.rita)
    response = client_for(people.carla).post(pledges_url(idea), {"amount": 2_500})
    assert response.status_code == 403
    assert not Pledge.objects.exists()


def test_an_unverified_member_cannot_pledge(people, make_user, client_for, settings):
    settings.EMAIL_VERIFICATION = "mandatory"
    idea = idea_in_funding(people.carla, people.rita)
    newbie = make_user("newbie", verified=False)
    assert client_for(newbie).post(pledges_url(idea), {"amount": 2_500}).status_code == 403


def test_anonymous_visitors_cannot_pledge(people, client_for):
    idea = idea_in_funding(people.carla, people.rita)
    assert client_for(None).post(pledges_url(idea), {"amount": 2_500}).status_code == 401
    assert client_for(None).get(pledges_url(idea)).status_code == 401


@pytest.mark.parametrize("amount", [99, 0, -500, "ten", 12.5, None, True, 10**15])
def test_a_pledge_below_one_unit_or_not_a_whole_number_is_refused(people, client_for, amount):
    idea = idea_in_funding(people.carla, people.rita)
    response = client_for(people.alice).post(pledges_url(idea), {"amount": amount}, format="json")
    assert response.status_code == 400
    assert "amount" in response.json()["error"]["fields"]


def test_pledges_open_only_while_the_idea_is_in_funding(people, client_for):
    idea = idea_in_voting(people.carla)
    response = client_for(people.alice).post(pledges_url(idea), {"amount": 2_500})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_in_funding"


def test_changing_a_pledge_that_does_not_exist_is_404(people, client_for):
    idea = idea_in_funding(people.carla, people.rita)
    assert client_for(people.alice).patch(pledges_url(idea), {"amount": 500}).status_code == 404
    assert client_for(people.alice).delete(pledges_url(idea)).status_code == 404


def test_pledging_is_rate_limited(people, client_for, rates):
    rates("pledge_user", "2/min")
    idea = idea_in_funding(people.carla, people.rita)
    client = client_for(people.alice)
    client.post(pledges_url(idea), {"amount": 2_500})
    client.patch(pledges_url(idea), {"amount": 3_000})
    third = client.patch(pledges_url(idea), {"amount": 3_500})
    assert third.status_code == 429
    assert "Retry-After" in third


def test_pledge_service_keeps_the_currency_of_the_round(people):
    idea = idea_in_funding(people.carla, people.rita, currency="CHF")
    assert pledge_create(idea=idea, member=people.bob, amount=700).currency == "CHF"


@pytest.mark.parametrize(
    "amount", [1000.0, 12.5, "1000.0", " 1000 ", "１０００", "12,50", True, 2**63, 10**15 + 1]
)
def test_the_pledge_api_takes_whole_minor_units_only(amount, people, client_for):
    idea = idea_in_funding(people.carla, people.rita)
    client = client_for(people.alice)
    response = client.post(pledges_url(idea), {"amount": amount}, format="json")
    assert response.status_code == 400
    assert "amount" in response.json()["error"]["fields"]
    client.post(pledges_url(idea), {"amount": 2_500}, format="json")
    changed = client.patch(pledges_url(idea), {"amount": amount}, format="json")
    assert changed.status_code == 400
    assert "amount" in changed.json()["error"]["fields"]
    assert list(Pledge.objects.values_list("amount", flat=True)) == [2_500]


def test_a_pledge_below_one_major_unit_is_refused_with_a_sentence(people, client_for):
    idea = idea_in_funding(people.carla, people.rita)
    response = client_for(people.alice).post(pledges_url(idea), {"amount": 99}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["amount"] == [
        "Pledge at least 1.00 EUR (100 minor units)."
    ]
    assert not Pledge.objects.exists()


def test_a_pledge_in_a_currency_without_cents_is_at_least_one_unit(people, client_for, settings):
    settings.CURRENCIES = ["EUR", "JPY"]
    idea = idea_in_funding(people.carla, people.rita, goal=10_000, currency="JPY")
    client = client_for(people.alice)
    assert client.post(pledges_url(idea), {"amount": 0}, format="json").status_code == 400
    assert client.post(pledges_url(idea), {"amount": 1}, format="json").status_code == 201
