"""Chinese formats: dates and months through CLDR (2026年12月3日, 2026年12月加入, never
"3 十二月 2026"), how long ago in one unit (1个月前, never "1 月，3 周前"), Chinese punctuation in
Chinese sentences, amounts written the Chinese way (100元, ￥１００), and the moderation filter's
"Comments" (评论, not 评论数: a count)."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from core.money import parse_amount
from core.templatetags.cldr import cldr, duration, relative
from tests.factories import make_idea, make_user

pytestmark = pytest.mark.django_db
ZH = {"accept-language": "zh-Hans"}


def test_dates_and_months_read_the_locales_own_way():
    with translation.override("zh-hans"):
        assert cldr(date(2026, 12, 3)) == "2026年12月3日"
        assert cldr(date(2026, 12, 3), "month") == "2026年12月"
        assert cldr(date(2026, 12, 3), "month-label") == "12月"  # fits a chart's bar, not 十二月
    with translation.override("en"):
        assert cldr(date(2026, 12, 3)) == "December 3, 2026"
        assert cldr(date(2026, 12, 3), "month") == "December 2026"
        assert cldr(date(2026, 12, 3), "month-label") == "Dec"


def test_how_long_ago_reads_in_one_unit_of_the_locale():
    now = timezone.now()
    cases = [now - timedelta(days=35), now + timedelta(days=3, hours=1), now - timedelta(seconds=9)]
    with translation.override("zh-hans"):
        assert [relative(when) for when in cases] == ["1个月前", "3天后", "刚刚"]
        assert duration(now - timedelta(days=3, hours=2)) == "3天"
        assert duration(now - timedelta(days=60), now - timedelta(days=39)) == "3周"
    with translation.override("en"):
        assert [relative(when) for when in cases] == ["1 month ago", "in 3 days", "just now"]
        assert duration(now - timedelta(days=3, hours=2)) == "3 days"


def test_a_chinese_profile_and_history_show_chinese_dates(client):
    member = make_user("mei")
    idea = make_idea(creator=member, title="露营灯")
    joined = member.date_joined
    profile = client.get("/members/mei/", headers=ZH).content.decode()
    assert f"{joined.year}年{joined.month}月加入" in profile
    detail = client.get(idea.get_absolute_url(), headers=ZH).content.decode()
    history = re.search(r'<details class="panel history">(.*?)</details>', detail, re.S)[1]
    now = timezone.localtime()
    assert f"{now.year}年{now.month}月{now.day}日" in history
    assert not re.search(r"\d+ [一二三四五六七八九十]+月 \d{4}", detail)


def test_the_search_count_is_a_chinese_sentence(client):
    carla = make_user("carla")
    for title in ("Solar kettle", "Solar lamp", "Solar fan"):
        make_idea(creator=carla, title=title)
    page = client.get("/search/", {"q": "solar"}, headers=ZH).content.decode()
    assert "3 个创意，搜索“solar”。" in page
    english = client.get("/search/", {"q": "solar"}, headers={"accept-language": "en"})
    assert "3 ideas for “solar”." in english.content.decode()


@pytest.mark.parametrize("typed", ["100元", "100 元", "¥100", "￥100", "￥１００", "100.00元"])
def test_yuan_are_accepted_as_chinese_readers_write_them(typed):
    assert parse_amount(typed, "CNY", locale="zh_Hans_CN") == 10_000
    assert parse_amount(typed, "CNY", locale="en") == 10_000


def test_the_moderation_filter_says_comments_not_a_count(client):
    client.force_login(make_user("rita", role="reviewer"))
    page = client.get("/review/moderation/", headers=ZH).content.decode()
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert "评论" in options and "评论数" not in options
