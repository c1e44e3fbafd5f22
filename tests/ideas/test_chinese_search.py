"""Chinese ideas are found by their words (the segmented tsvector)."""

import pytest

from ideas.search import document_words, query_words
from ideas.selectors import idea_list

KETTLE = {
    "title": "太阳能水壶",
    "summary": "用阳光烧水的折叠水壶",
    "body": "一个可以折叠的太阳能水壶，露营时用阳光把水烧开。",
}


@pytest.fixture
def chinese_kettle(make_idea):
    make_idea("Folding bike", summary="A bike that folds", body="Ride it to the train.")
    make_idea("自行车头盔", summary="骑车时保护头部", body="一顶轻便的头盔。")
    return make_idea(KETTLE["title"], summary=KETTLE["summary"], body=KETTLE["body"])


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["太阳能", "阳光", "水壶", "露营", "太阳能水壶", "折叠 水壶"])
def test_a_chinese_idea_is_found_by_each_of_its_words(chinese_kettle, query):
    assert list(idea_list(ordering="", q=query)) == [chinese_kettle]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["头盔", "火锅", "kettle"])
def test_an_unrelated_query_does_not_find_it(chinese_kettle, query):
    assert chinese_kettle not in idea_list(ordering="", q=query)


@pytest.mark.django_db
def test_english_search_still_stems_beside_chinese_ideas(chinese_kettle, make_idea):
    kettles = make_idea("Folding kettles", summary="Boil water", body="For camping.")
    assert list(idea_list(ordering="", q="kettle")) == [kettles]


@pytest.mark.django_db
def test_the_search_page_finds_chinese_words_and_follows_edits(client, chinese_kettle, creator):
    from ideas.services import idea_update

    page = client.get("/search/", {"q": "露营"}).content.decode()
    assert "太阳能水壶" in page
    idea_update(idea=chinese_kettle, actor=creator, title="折叠烧水壶", body="适合徒步。")
    assert list(idea_list(ordering="", q="徒步")) == [chinese_kettle]
    assert list(idea_list(ordering="", q="露营")) == []


def test_the_document_keeps_long_words_and_the_words_inside_them():
    words = document_words("太阳能水壶").split()
    assert {"太阳", "太阳能", "水壶"} <= set(words)
    assert document_words("A solar kettle") == ""


def test_the_query_keeps_its_english_syntax_and_splits_only_chinese_runs():
    assert query_words('"folding cups" -kettle') == '"folding cups" -kettle'
    assert query_words("solar 太阳能水壶") == "solar 太阳能 水壶"
