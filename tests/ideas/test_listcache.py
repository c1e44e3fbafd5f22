"""The home page's cards come from the cache until an idea reads differently (ideas/listcache)."""

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from ideas.models import Idea
from ideas.services.ideas import idea_update
from ideas.services.moderation import idea_hide


def home(client) -> tuple[str, int]:
    """The home page's list of cards, and the queries the page took."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    start = page.index('<ul class="cards"')
    return page[start : page.index("</ul>", start)], len(queries.captured_queries)


def test_the_second_visitor_gets_the_cards_without_rendering_them_again(client, make_idea):
    make_idea("Solar kettle", tags=["camping"])
    first, first_queries = home(client)
    again, again_queries = home(client)
    assert again == first and "Solar kettle" in again
    assert again_queries < first_queries  # the list, its tags: not asked again


def test_an_edit_a_new_idea_and_a_hidden_idea_show_at_once(client, make_idea, creator, reviewer):
    kettle = make_idea("Solar kettle")
    lamp = make_idea("Garden lamp")
    home(client)
    idea_update(idea=kettle, actor=creator, title="Solar kettle, folding")
    make_idea("Bike lock")
    idea_hide(idea=lamp, actor=reviewer, reason="Spam.")
    page, _ = home(client)
    assert "Solar kettle, folding" in page and "Bike lock" in page
    assert "Garden lamp" not in page


def test_a_vote_count_may_lag_on_the_cards_for_the_cache_time_and_no_longer(
    client, make_idea, settings
):
    idea = make_idea("Solar kettle")
    home(client)
    Idea.objects.filter(pk=idea.pk).update(votes_folded=F("votes_folded") + 41)  # as votes do
    assert "▲ 41" not in home(client)[0]
    settings.IDEA_LIST_CACHE_SECONDS = 0
    assert "▲ 41" in home(client)[0]


def test_each_language_has_its_own_cards(client, make_idea):
    make_idea("Solar kettle")
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'status-voting">Voting<' in english
    assert 'status-voting">投票中<' in chinese


# --- The idea page's threads (ideas.listcache.cached_threads) ---------------------------------


def discussion(client, idea) -> tuple[str, int]:
    """The idea page's threads as a visitor sees them, and the queries the page took."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/ideas/{idea.pk}/").content.decode()
    start = page.index('<ol class="comments" id="comments"')
    return page[start : page.index("<template", start)], len(queries.captured_queries)


def test_the_threads_are_rendered_once_for_every_visitor(client, make_idea, member):
    from ideas.services.comments import comment_create

    idea = make_idea("Solar kettle")
    comment_create(idea=idea, author=member, body="Would it work in the **rain**?")
    first, first_queries = discussion(client, idea)
    again, again_queries = discussion(client, idea)
    assert again == first and "<strong>rain</strong>" in again
    assert again_queries < first_queries  # the roots, their count, the replies: not again


def test_a_new_reply_a_hidden_and_an_accepted_comment_show_at_once(
    client, make_idea, creator, member, reviewer
):
    from ideas.services.comments import comment_accept, comment_create
    from ideas.services.moderation import comment_hide

    idea = make_idea("Solar kettle")
    question = comment_create(idea=idea, author=member, body="Would it work in the rain?")
    spam = comment_create(idea=idea, author=member, body="Buy cheap watches")
    tip = comment_create(idea=idea, author=member, body="Make it fold.", is_suggestion=True)
    discussion(client, idea)
    comment_create(idea=idea, author=creator, body="Yes, it is sealed.", parent=question)
    comment_hide(comment=spam, actor=reviewer, reason="Spam.")
    comment_accept(comment=tip, actor=creator)
    page, _ = discussion(client, idea)
    assert "Yes, it is sealed." in page and "Buy cheap watches" not in page
    assert "pill-accepted" in page


def test_a_signed_in_member_gets_their_own_threads(client, make_idea, member):
    """Reply and flag buttons are for signed-in readers: a visitor's cached threads have none."""
    from ideas.services.comments import comment_create

    idea = make_idea("Solar kettle")
    comment_create(idea=idea, author=member, body="Would it work in the rain?")
    assert 'data-action="reply"' not in discussion(client, idea)[0]
    client.force_login(member)
    assert 'data-action="reply"' in discussion(client, idea)[0]


# --- The search page's results -----------------------------------------------------------------


def search(client, query: str) -> tuple[str, int]:
    """The search page's results (count line to the end of the cards), and its queries."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/search/?{query}").content.decode()
    start = page.index('<p class="muted">')
    return page[start : page.index("</ul>", start)], len(queries.captured_queries)


def test_a_repeated_search_is_answered_from_the_cache_and_an_edit_shows_at_once(
    client, make_idea, creator
):
    kettle = make_idea("Solar kettle")
    make_idea("Garden lamp")
    first, first_queries = search(client, "q=solar")
    again, again_queries = search(client, "q=solar")
    assert again == first and "1 idea for “solar”" in first and "Solar kettle" in first
    # Neither the matches, their count, the cards nor the form's categories asked again.
    assert again_queries == 0 < first_queries
    assert "Garden lamp" in search(client, "q=garden")[0]  # another query: its own results
    idea_update(idea=kettle, actor=creator, title="Solar kettle, folding")
    make_idea("Solar lamp")
    page, _ = search(client, "q=solar")
    assert "Solar kettle, folding" in page and "Solar lamp" in page and "2 ideas" in page


def test_each_language_and_page_of_a_search_has_its_own_results(client, make_idea):
    for n in range(25):
        make_idea(f"Solar thing {n:02}")
    english = client.get("/search/?q=solar", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/search/?q=solar", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    second = client.get("/search/?q=solar&page=2", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "25 ideas" in english and "Page 1 of 2" in english
    assert "第 1 页，共 2 页" in chinese
    assert "Page 2 of 2" in second


def test_the_number_of_ideas_follows_a_new_and_a_hidden_idea_at_once(
    client, api_client, make_idea, reviewer
):
    """The home page's and the API's counts are kept with the cards, under the same rule."""
    ideas = [make_idea(f"Solar thing {n:02}") for n in range(20)]

    def counts() -> tuple[bool, int]:
        home = client.get("/").content.decode()
        api = api_client.get("/api/v1/ideas/?ordering=hot").json()["count"]
        return "Page 1 of 2" in home, api

    assert counts() == (False, 20) == counts()
    make_idea("Solar thing 20")
    assert counts() == (True, 21)
    idea_hide(idea=ideas[0], actor=reviewer, reason="Spam.")
    assert counts() == (False, 20)


def test_a_search_counts_its_matches_once_for_all_its_pages_and_again_after_a_hide(
    client, make_idea, reviewer
):
    ideas = [make_idea(f"Solar thing {n:02}") for n in range(25)]
    with CaptureQueriesContext(connection) as first:
        assert "25 ideas" in client.get("/search/?q=solar").content.decode()
    with CaptureQueriesContext(connection) as second:
        assert "Page 2 of 2" in client.get("/search/?q=solar&page=2").content.decode()
    assert len(second.captured_queries) < len(first.captured_queries)  # not counted again
    idea_hide(idea=ideas[0], actor=reviewer, reason="Spam.")
    assert "24 ideas" in client.get("/search/?q=solar&page=2").content.decode()


def test_a_renamed_category_shows_at_once_on_the_cards_and_in_the_search_form(client, make_idea):
    from ideas.models import Category

    garden = Category.objects.create(name="Garden", slug="garden")
    make_idea("Solar lamp", category=garden)
    assert "Garden" in home(client)[0] and ">Garden<" in client.get("/search/").content.decode()
    garden.name = "Outdoors"
    garden.save()
    assert "Outdoors" in home(client)[0]
    assert ">Outdoors<" in client.get("/search/").content.decode()
