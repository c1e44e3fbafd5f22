"""Chinese in a real Chromium: the language switcher, a member's choice that follows them, and a
whole pledge in 简体中文 and yuan."""

import pytest

from funding.models import Pledge
from tests.factories import idea_in_funding
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_in(browser, live_server):
    """page_in("zh-CN") → a fresh browser (no cookies) whose Accept-Language is that locale."""
    contexts = []

    def make(locale: str):
        context = browser.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": 1200, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, username: str) -> None:
    """The sign-in form in whatever language the page speaks."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_visitor_switches_to_chinese_and_stays_on_the_page(page_in):
    page = page_in("en-US")
    page.goto("/search/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.text_content("nav.nav a[href='/search/']") == "Search"
    page.select_option("#language-switcher", "zh-hans")
    page.click(".language-switcher button[type=submit]")
    page.wait_for_function("document.documentElement.lang === 'zh-hans'")
    assert page.url.endswith("/search/")
    assert page.text_content("nav.nav a[href='/search/']") == "搜索"
    assert page.text_content("h1") == "搜索创意"
    page.goto("/")  # the choice is remembered (cookie) on the next page
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert "一起把创意变成产品。" in page.text_content("h1")


def test_a_members_choice_follows_them_to_another_browser(page_in, make_user):
    member = make_user("ming")
    page = page_in("en-US")
    sign_in(page, "ming")
    page.goto("/me/ideas/")
    page.select_option("#language-switcher", "zh-hans")
    page.click(".language-switcher button[type=submit]")
    page.wait_for_function("document.documentElement.lang === 'zh-hans'")
    member.refresh_from_db()
    assert member.language == "zh-hans"

    elsewhere = page_in("en-GB")  # another browser: no cookie, English Accept-Language
    sign_in(elsewhere, "ming")
    elsewhere.goto("/me/ideas/")
    assert elsewhere.get_attribute("html", "lang") == "zh-hans"
    assert elsewhere.text_content("h1") == "我的创意"


def test_a_chinese_member_pledges_in_yuan_from_start_to_finish(page_in, make_user):
    creator, reviewer = make_user("lihua"), make_user("fang", role="reviewer")
    make_user("ming", display_name="小明")
    idea = idea_in_funding(creator, reviewer, goal=100_000, currency="CNY", title="太阳能水壶")
    page = page_in("zh-CN")
    sign_in(page, "ming")
    page.goto(f"/ideas/{idea.pk}/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert page.text_content("h2.funding-title") == "众筹"
    page.fill("#pledge-input", "1,250.50")
    page.click("#pledge-submit")
    page.wait_for_selector("#pledge-confirm")
    assert page.text_content("#pledge-preview") == "你认筹 ¥1,250.50."
    assert page.text_content("#pledge-confirm") == "确认"
    assert not Pledge.objects.exists()  # nothing is stored before 确认

    page.click("#pledge-confirm")
    page.wait_for_selector("#pledge-amount")
    pledge = Pledge.objects.get()
    assert (pledge.member.username, pledge.amount, pledge.currency) == ("ming", 125_050, "CNY")
    assert page.text_content("#pledge-amount") == "¥1,250.50"
    assert "谢谢：你认筹了 ¥1,250.50。只有在截止前达到目标时才需要付款。" in page.text_content(
        ".messages"
    )
    # Changing it is in Chinese too, and a mistake is explained in Chinese.
    page.fill("#pledge-input", "abc")
    page.click("#pledge-submit")
    page.wait_for_selector("#pledge-error")
    assert "不是按" in page.text_content("#pledge-error")
