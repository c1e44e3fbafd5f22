"""The payout destination form: the methods are a group of radio buttons under a legend, each
beside its own label, and only the chosen method's fields show."""

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_accessible
from tests.factories import make_user
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_only_the_chosen_methods_fields_show(page):
    make_user("mia")
    browser_login(page, "mia")
    page.goto("/me/earnings/#destination")
    form = page.locator("#destination-form")
    group = form.locator("fieldset", has=page.locator("legend", has_text="Pay me by"))
    expect(group.get_by_role("radio")).to_have_count(3)
    iban = form.get_by_role("textbox", name="IBAN")
    alipay = form.get_by_role("textbox", name="Alipay account")
    other = form.get_by_role("textbox", name="Other: where and how")
    holder = form.get_by_role("textbox", name="Account holder's name")
    expect(group.get_by_role("radio", name="Bank account (IBAN)")).to_be_checked()
    expect(iban).to_be_visible()
    expect(holder).to_be_visible()
    expect(alipay).to_be_hidden()
    expect(other).to_be_hidden()

    group.get_by_text("Alipay account").click()  # the label's words choose the method
    expect(alipay).to_be_visible()
    expect(holder).to_be_visible()
    expect(iban).to_be_hidden()

    group.get_by_text("Other (finance pays by hand)").click()
    expect(other).to_be_visible()
    expect(iban).to_be_hidden()
    expect(holder).to_be_hidden()
    assert_accessible(page)


def test_the_settings_check_boxes_sit_beside_their_labels(page):
    make_user("mia")
    browser_login(page, "mia")
    page.goto("/accounts/settings/")
    box = page.get_by_label("Show my lifetime earnings on my public profile")
    label = page.locator("label.choice", has_text="Show my lifetime earnings on my public profile")
    box_at, label_at = box.bounding_box(), label.bounding_box()
    assert abs(box_at["y"] - label_at["y"]) < label_at["height"]  # on the label's line
    label.get_by_text("Show my lifetime earnings on my public profile").click()
    expect(box).to_be_checked()
