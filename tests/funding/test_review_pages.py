"""The review queue and the idea page for reviewers: goals as people write them, four eyes,
and forms that act once."""

import pytest
from django.test import Client

from funding.models import Product, ReviewDecision
from funding.services import pledge_create
from ideas.models import IdeaStatus
from tests.factories import idea_in_funding, idea_in_review

pytestmark = pytest.mark.django_db

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de-DE"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def approval(idea, goal: str, currency: str = "EUR", **extra) -> dict:
    p = f"a{idea.pk}-"
    return {
        "decision": "approve",
        p + "funding_goal": goal,
        p + "currency": currency,
        p + "platform_fee_bp": "1500",
        p + "points_per_unit": "1",
        p + "reason": "A sound plan.",
        **extra,
    }


def test_a_german_reviewer_writes_the_goal_as_2_500_50(people):
    idea = idea_in_review(people.carla)
    response = signed_in(people.rita).post(
        f"/review/ideas/{idea.pk}/decide/", approval(idea, "2.500,50"), **GERMAN
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.status, idea.funding_round.goal, idea.funding_round.currency) == (
        "funding",
        250_050,
        "EUR",
    )


def test_the_goal_is_read_in_the_currency_chosen_in_the_same_form(people, settings):
    settings.CURRENCIES = ["EUR", "JPY"]
    idea = idea_in_review(people.carla)
    response = signed_in(people.rita).post(
        f"/review/ideas/{idea.pk}/decide/", approval(idea, "250,000", currency="JPY")
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.funding_round.goal, idea.funding_round.currency) == (250_000, "JPY")


@pytest.mark.parametrize(
    ("goal", "message"),
    [
        ("12,50", "“12,50” is not an amount as written in English: write it like 1,234.50 EUR."),
        ("0.50", "Enter at least 1.00 EUR."),
        ("", "This field is required."),
    ],
)
def test_a_goal_that_cannot_be_read_is_refused_next_to_the_field(goal, message, people):
    idea = idea_in_review(people.carla)
    response = signed_in(people.rita).post(f"/review/ideas/{idea.pk}/decide/", approval(idea, goal))
    assert response.status_code == 400
    assert message in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REVIEW


def test_an_approval_sent_twice_is_decided_once_and_answers_the_same(people):
    idea = idea_in_review(people.carla)
    client = signed_in(people.rita)
    form = approval(idea, "2500", _once="c" * 32)
    first = client.post(f"/review/ideas/{idea.pk}/decide/", form)
    again = client.post(f"/review/ideas/{idea.pk}/decide/", form)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert ReviewDecision.objects.filter(idea=idea).count() == 1
    assert "already" not in client.get("/review/").content.decode()


def test_the_queue_forms_carry_a_one_time_token(people):
    idea_in_review(people.carla)
    met = idea_in_funding(people.bob, people.rita, goal=100, title="Met")
    pledge_create(idea=met, member=people.alice, amount=100)
    html = signed_in(people.rita).get("/review/").content.decode()
    # approve, reject, close, the header's sign-out and the footer's language switcher
    assert html.count('name="_once"') == 5


def test_a_reviewer_sees_why_they_cannot_decide_their_own_idea(people):
    idea = idea_in_review(people.rita, title="Rita's lamp")
    html = signed_in(people.rita).get("/review/").content.decode()
    assert "You cannot review your own idea." in html
    assert f'action="/review/ideas/{idea.pk}/decide/' not in html  # no form, with or without #


def test_a_reviewer_sees_why_they_cannot_close_their_own_round(people, make_user):
    idea = idea_in_funding(people.rita, make_user("otto", role="reviewer"), goal=5_000)
    pledge_create(idea=idea, member=people.alice, amount=5_000)
    client = signed_in(people.rita)
    reason = "You cannot close the funding round of your own idea: another reviewer does."
    queue = client.get("/review/").content.decode()
    box = client.get(f"/ideas/{idea.pk}/").content.decode()
    for html in (queue, box):
        assert reason in html
        assert f'action="/review/ideas/{idea.pk}/close-funding/"' not in html
    client.post(f"/review/ideas/{idea.pk}/close-funding/")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.FUNDING
    assert not Product.objects.exists()


def test_another_reviewer_closes_it_once_even_when_the_button_is_pressed_twice(people):
    idea = idea_in_funding(people.carla, people.rita, goal=5_000)
    pledge_create(idea=idea, member=people.alice, amount=5_000)
    client = signed_in(people.rita)
    box = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Close the round now (goal met)" in box
    form = {"_once": "d" * 32}
    first = client.post(f"/review/ideas/{idea.pk}/close-funding/", form)
    again = client.post(f"/review/ideas/{idea.pk}/close-funding/", form)
    assert first["Location"] == again["Location"]
    assert Product.objects.filter(idea=idea).count() == 1
    after = client.get("/review/").content.decode()
    assert "is funded: it is a product now" in after
    assert "no open funding round" not in after


@pytest.mark.parametrize(
    ("back", "lands_on"),
    [
        ("/ideas/{pk}/#funding-area", "/ideas/{pk}/#funding-area"),
        ("https://evil.example/", "/review/"),
    ],
)
def test_closing_from_the_idea_page_returns_there_and_never_off_site(back, lands_on, people):
    idea = idea_in_funding(people.carla, people.rita, goal=5_000)
    pledge_create(idea=idea, member=people.alice, amount=5_000)
    response = signed_in(people.rita).post(
        f"/review/ideas/{idea.pk}/close-funding/", {"next": back.format(pk=idea.pk)}
    )
    assert response["Location"] == lands_on.format(pk=idea.pk)
    assert Product.objects.filter(idea=idea).count() == 1


def test_a_long_queue_is_paged_and_a_failed_approval_comes_back_on_its_page(people):
    ideas = [idea_in_review(people.carla, title=f"Idea {n:02d}") for n in range(25)]
    client = signed_in(people.rita)
    first = client.get("/review/").content.decode()
    assert first.count('class="queue-item review-item"') == 10
    assert "Idea 00" in first and "Idea 10" not in first and "Page 1 of 3" in first
    late = ideas[14]
    response = client.post(f"/review/ideas/{late.pk}/decide/", approval(late, "0.50"))
    page = response.content.decode()
    assert response.status_code == 400 and "Page 2 of 3" in page
    item = page[page.index(f'id="review-{late.pk}"') :]
    item = item[: item.index("</li>")]
    assert "<details open>" in item  # the item that needs correcting is open
    assert "Enter at least 1.00 EUR." in item
    assert page.count("<details open>") == 1  # the others stay one line each
    # The form sends the browser back to the item itself, not to the top of the page.
    assert f'action="/review/ideas/{late.pk}/decide/#review-{late.pk}"' in page


def test_the_open_rounds_show_their_totals_and_cost_the_same_queries_however_many(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queue_queries():
        with CaptureQueriesContext(connection) as queries:
            response = signed_in(people.rita).get("/review/")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    first = idea_in_funding(people.carla, people.rita, title="A quiet bell")
    pledge_create(idea=first, member=people.alice, amount=2_500)
    pledge_create(idea=first, member=people.bob, amount=1_000)
    few, page = queue_queries()
    assert "35.00" in page  # alice's and bob's pledges on the first round
    for n in range(5):
        idea_in_funding(people.carla, people.rita, title=f"Round {n}")
    many, page = queue_queries()
    assert "Round 4" in page
    assert many == few


def test_the_queue_runs_by_arrival_in_review_and_filters_by_category(people):
    from ideas.models import Category

    gadgets = Category.objects.create(name="Gadgets", slug="gadgets")
    first = idea_in_review(people.carla, title="Arrived first", category=gadgets)
    idea_in_review(people.carla, title="Arrived second")
    # An edit (any save) of the first idea must not send it to the back of the queue.
    first.summary = "Edited after arriving."
    first.save()
    page = signed_in(people.rita).get("/review/").content.decode()
    assert page.index("Arrived first") < page.index("Arrived second")
    only = signed_in(people.rita).get("/review/?category=gadgets").content.decode()
    assert "Arrived first" in only and "Arrived second" not in only
    assert "1 idea waits for review." in only
