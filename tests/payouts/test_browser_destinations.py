"""In a real Chromium: a member adds where to be paid on the earnings page (a wrong IBAN is
explained in place), finance creates the EUR batch and downloads its SEPA transfer."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema

from payouts.models import PayoutBatch, PayoutDestination
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAIN_XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"


def test_a_member_adds_an_iban_and_finance_downloads_the_sepa_file(
    team, page, browser, live_server, record, settle_and_post
):
    settle_and_post(record())
    PayoutDestination.objects.filter(member=team.alice).delete()

    browser_login(page, "alice")
    page.goto("/me/earnings/")
    assert page.is_visible("#destination-missing")
    page.fill("input[name=holder]", "Alice Liddell")
    page.check("input[name=kind][value=iban]")
    page.fill("input[name=iban]", "DE12 5001 0517 5407 3249 26")
    page.click("#destination-form button[type=submit]")
    page.wait_for_selector("#destination-form .error")
    assert "is not a valid IBAN" in page.text_content("#destination-form .error")
    assert page.input_value("input[name=iban]") == "DE12 5001 0517 5407 3249 26"  # kept
    page.fill("input[name=iban]", "DE12 5001 0517 5407 3249 25")
    page.click("#destination-form button[type=submit]")
    page.wait_for_selector(".messages")
    assert "DE12 •••• 4925" in page.text_content("#destination-current")
    assert not page.is_visible("#destination-missing")

    finance = browser.new_context(base_url=live_server.url, accept_downloads=True)
    fin = finance.new_page()
    fin.set_default_timeout(15_000)
    browser_login(fin, "fin")
    fin.goto("/finance/")
    fin.select_option("#b-currency", "EUR")
    fin.click("#batch-form button[type=submit]")
    fin.wait_for_selector(".sepa-link")
    batch = PayoutBatch.objects.get()
    with fin.expect_download() as download:
        fin.click(".sepa-link")
    xml = Path(download.value.path()).read_text()
    xmlschema.XMLSchema(str(PAIN_XSD)).validate(xml)
    assert "<IBAN>DE12500105175407324925</IBAN>" in xml  # alice's, as she typed it
    sums = {Decimal(s) for s in re.findall(r"<CtrlSum>([^<]+)</CtrlSum>", xml)}
    assert sums == {Decimal(batch.total) / 100}
    finance.close()
