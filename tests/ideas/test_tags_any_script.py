"""Tags in any script are kept as written (太阳能 was dropped: its Latin slug is empty), and text
search finds an idea by its tags as well as by its words."""

import pytest

from ideas.models import Tag
from ideas.selectors import idea_list
from tests.factories import make_idea, make_user

pytestmark = pytest.mark.django_db


def test_chinese_tags_are_stored_as_written_and_listed():
    idea = make_idea(
        creator=make_user("mei"), title="折叠太阳能水壶", tags=["太阳能", "露营", "厨房"]
    )
    assert sorted(idea.tags.values_list("name", flat=True)) == sorted(["太阳能", "露营", "厨房"])
    assert sorted(Tag.objects.values_list("slug", flat=True)) == sorted(["太阳能", "露营", "厨房"])
    # The same tag twice (another idea) is the one tag.
    make_idea(creator=make_user("li"), title="露营灯", tags=["露营"])
    assert Tag.objects.filter(name="露营").count() == 1
    assert [i.title for i in idea_list(tag="露营", ordering="new")] == ["露营灯", "折叠太阳能水壶"]


def test_a_search_finds_every_idea_tagged_with_its_word(client):
    carla = make_user("carla")
    make_idea(creator=carla, title="A camping stove", tags=["camping"])
    make_idea(creator=carla, title="A folding lantern", tags=["camping", "light"])
    make_idea(creator=carla, title="A rain fly", tags=["Camping"])
    make_idea(creator=carla, title="A desk lamp", tags=["light"])
    make_idea(creator=carla, title="Tent pegs", tags=["露营"])
    found = {i.title for i in idea_list(q="camping")}
    assert found == {"A camping stove", "A folding lantern", "A rain fly"}
    assert {i.title for i in idea_list(q="#camping")} == found
    assert {i.title for i in idea_list(q="露营")} == {"Tent pegs"}
    page = client.get("/search/", {"q": "camping"})
    assert page.status_code == 200
    assert all(title in page.content.decode() for title in found)
