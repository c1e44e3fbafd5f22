"""Issue 25, finding 8: backers pay in their pledge's currency. The manual adapter names only
that currency's accounts (a CNY pledge: Alipay and a Chinese bank account, never the euro
IBAN); a currency without one tells the backer that finance will contact them; production
refuses a currency without an account; Stripe's pay-again Checkout offers Alipay and WeChat Pay
for yuan."""

import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from accounts.languages import speaking_to
from funding.models import Payment
from funding.payees import check_payee_accounts, payee_accounts
from tests.factories import idea_in_funding
from tests.payments.stripe_fixtures import DECLINED, GOOD, close, pledge_with_card

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

IBAN = "DE02 1203 0000 0000 2020 51"
ALIPAY = "yuan@ahhha.example.cn"
CARD = "6222 0212 3456 7890 123"
ACCOUNTS = {
    "EUR": [{"method": "bank_transfer", "holder": "AHHHA GmbH", "account": IBAN}],
    "CNY": [
        {"method": "alipay", "holder": "AHHHA 平台", "account": ALIPAY},
        {
            "method": "bank_transfer",
            "holder": "AHHHA 平台",
            "account": CARD,
            "bank": "中国工商银行 上海分行",
        },
    ],
}


@pytest.fixture
def payees(settings):
    settings.PAYMENT_PAYEE_ACCOUNTS = ACCOUNTS
    return settings


def test_a_cny_backer_is_told_the_yuan_accounts_and_never_the_euro_iban(people, funded, payees):
    idea = funded(currency="CNY")
    pledge = idea.pledges.get(member=people.alice)
    note = people.alice.notifications.get(kind="payment_due").text
    assert "60.00" in note and "CNY" in note and f"AHHHA-P{pledge.pk}" in note
    assert f"by Alipay to AHHHA 平台 ({ALIPAY})" in note
    assert f"by bank transfer to AHHHA 平台, account {CARD} (中国工商银行 上海分行)" in note
    assert IBAN not in note and "IBAN" not in note


def test_a_chinese_reader_reads_the_notice_in_chinese(people, funded, payees):
    people.alice.language = "zh-hans"
    people.alice.save(update_fields=["language"])
    funded(currency="CNY")
    with speaking_to(people.alice):  # as her e-mail says it
        note = people.alice.notifications.get(kind="payment_due").text
    assert "支付宝" in note and ALIPAY in note and CARD in note and IBAN not in note


def test_a_euro_backer_still_gets_the_iban(people, funded, payees):
    funded()
    note = people.alice.notifications.get(kind="payment_due").text
    assert f"by bank transfer to AHHHA GmbH, account {IBAN}" in note
    assert ALIPAY not in note and CARD not in note


def test_the_idea_page_shows_a_cny_backer_only_the_yuan_accounts(people, funded, client, payees):
    idea = funded(currency="CNY")
    client.force_login(people.alice)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert 'id="payee-accounts"' in page
    assert 'class="payee-alipay"' in page and ALIPAY in page and CARD in page
    assert IBAN not in page


def test_the_idea_page_shows_a_euro_backer_the_iban(people, funded, client, payees):
    idea = funded()
    client.force_login(people.bob)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert IBAN in page and ALIPAY not in page and CARD not in page


def test_a_currency_without_an_account_shows_none_and_finance_will_contact(
    people, funded, client, payees
):
    idea = funded(currency="USD")
    note = people.alice.notifications.get(kind="payment_due").text
    assert "finance will contact you with how to pay in USD" in note
    assert IBAN not in note and ALIPAY not in note
    client.force_login(people.alice)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "finance will contact you with how to pay in USD" in page
    assert 'id="payee-accounts"' not in page and IBAN not in page


def test_the_old_single_account_settings_stay_euros_bank_account():
    """PAYMENT_PAYEE_NAME/PAYMENT_PAYEE_ACCOUNT still work in production: EUR's account (and
    only EUR's), beside PAYMENT_PAYEE_ACCOUNTS' currencies; no example account."""
    show = "import json, config.settings as s; print(json.dumps(s.PAYMENT_PAYEE_ACCOUNTS))"
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")}
    env.update(
        DEBUG="0",
        SECRET_KEY="x" * 50,
        PAYMENT_PAYEE_NAME="Old Name GmbH",
        PAYMENT_PAYEE_ACCOUNT=IBAN,
        PAYMENT_PAYEE_ACCOUNTS='{"cny": [{"method": "alipay", "holder": "A", '
        '"account": "a@b.cn"}]}',
    )
    result = subprocess.run([sys.executable, "-c", show], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "EUR": [{"method": "bank_transfer", "holder": "Old Name GmbH", "account": IBAN}],
        "CNY": [{"method": "alipay", "holder": "A", "account": "a@b.cn"}],
    }


def test_debug_has_example_accounts_for_euro_and_yuan_marked_as_examples():
    from config.settings_parts.payments import _EXAMPLE_PAYEES

    assert set(_EXAMPLE_PAYEES) == {"EUR", "CNY"}
    assert all(a["example"] for accounts in _EXAMPLE_PAYEES.values() for a in accounts)
    methods = {a["method"] for a in _EXAMPLE_PAYEES["CNY"]}
    assert methods == {"alipay", "bank_transfer"}


def test_example_accounts_are_marked_on_the_page_and_in_the_notice(
    people, funded, client, settings
):
    from config.settings_parts.payments import _EXAMPLE_PAYEES

    settings.PAYMENT_PAYEE_ACCOUNTS = _EXAMPLE_PAYEES
    idea = funded(currency="CNY")
    note = people.alice.notifications.get(kind="payment_due").text
    assert "an example account: do not pay" in note
    client.force_login(people.alice)
    assert "an example account: do not pay" in client.get(idea.get_absolute_url()).content.decode()


def test_production_refuses_a_currency_without_a_payee_account(settings):
    settings.DEBUG = False
    settings.PAYMENT_ADAPTER = "manual"
    settings.CURRENCIES = ["EUR", "CNY", "USD"]
    settings.PAYMENT_PAYEE_ACCOUNTS = ACCOUNTS
    errors = check_payee_accounts()
    assert [(e.id, e.msg) for e in errors] == [
        ("funding.E002", "No payee account for USD: its backers would have nowhere to pay.")
    ]
    with pytest.raises(SystemCheckError, match="No payee account for USD"):
        call_command("check")
    settings.CURRENCIES = ["EUR", "CNY"]
    assert check_payee_accounts() == []
    settings.PAYMENT_PAYEE_ACCOUNTS = {**ACCOUNTS, "CNY": [{**ACCOUNTS["CNY"][0], "example": True}]}
    assert [e.id for e in check_payee_accounts()] == ["funding.E003"]
    settings.PAYMENT_ADAPTER = "stripe"  # Stripe collects every currency itself
    settings.CURRENCIES = ["EUR", "USD"]
    assert check_payee_accounts() == []
    settings.DEBUG = True
    settings.PAYMENT_ADAPTER = "manual"
    assert check_payee_accounts() == []


def test_a_malformed_account_is_refused_and_never_shown(settings):
    settings.PAYMENT_PAYEE_ACCOUNTS = {
        "CNY": [{"method": "paypal", "holder": "A", "account": "x"}, ACCOUNTS["CNY"][0]],
        "EUR": {"method": "bank_transfer", "holder": "A", "account": IBAN},
    }
    found = [(e.id, e.msg) for e in check_payee_accounts()]
    assert ("funding.E001", "PAYMENT_PAYEE_ACCOUNTS: EUR account 1 is not a list.") in found
    assert any(msg.startswith("PAYMENT_PAYEE_ACCOUNTS: CNY account 1 has the method 'paypal'")
               for _, msg in found)  # fmt: skip
    assert [a.method for a in payee_accounts("CNY")] == ["alipay"]
    assert payee_accounts("EUR") == []


# --- Stripe: paying a CNY pledge again offers Alipay and WeChat Pay --------------------------


def test_stripe_pay_again_for_yuan_offers_alipay_and_wechat_pay(
    people, client, stripe_settings, stripe_fake, checked_requests,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    def pay_again_checkout(currency):
        idea = idea_in_funding(people.carla, people.rita, goal=5_000, currency=currency)
        pledge_with_card(client, stripe_fake, idea, people.bob, 5_000, DECLINED)
        close(idea, people, django_capture_on_commit_callbacks)
        payment = Payment.objects.get(pledge__idea=idea)
        assert payment.status == "failed"
        client.force_login(people.bob)
        checked_requests.requests.clear()
        to_checkout = client.get(f"/payments/{payment.pk}/pay/")
        assert to_checkout.status_code == 302
        [sent] = [p for m, path, p in checked_requests.requests if path == "/v1/checkout/sessions"]
        return sent, to_checkout, payment

    sent, to_checkout, payment = pay_again_checkout("CNY")
    assert sent["mode"] == "payment" and sent["line_items"][0]["price_data"]["currency"] == "cny"
    assert sent["allowed_payment_method_types"] == ["card", "alipay", "wechat_pay"]
    assert sent["payment_method_options"] == {"wechat_pay": {"client": "web"}}
    assert "payment_method_types" not in sent
    # The backer pays on Stripe's page and comes back paid (the request check passes too).
    back = urllib.parse.urlsplit(stripe_fake.pay(to_checkout["Location"].rsplit("/", 1)[1], GOOD))
    client.get(f"{back.path}?{back.query}")
    payment.refresh_from_db()
    assert payment.status == "received"

    euro, _, _ = pay_again_checkout("EUR")  # other currencies: Stripe's dynamic methods
    assert "allowed_payment_method_types" not in euro and "payment_method_options" not in euro


def test_a_chinese_reader_sees_the_yuan_accounts_in_chinese_on_the_idea_page(
    people, funded, client, payees
):
    people.alice.language, people.alice.language_chosen = "zh-hans", True
    people.alice.save(update_fields=["language", "language_chosen"])
    idea = funded(currency="CNY")
    client.force_login(people.alice)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "<strong>支付宝</strong>" in page and "<strong>银行转账</strong>" in page
    assert "以下列任一方式支付" in page and ALIPAY in page and IBAN not in page
