"""In Chromium, at a desktop's and a phone's width: the creator (who is also finance staff)
submits an expense with a PDF receipt; approving it is refused to them as its submitter;
another finance member approves it and a second one marks it paid; the product page's budget
chart says what the ledger says; every page passes axe."""

import pytest
from django.db.models import Sum
from playwright.sync_api import expect

from accounts.services import role_grant
from payouts.models import AccountKind, LedgerEntry
from products.models import Expense
from tests.a11y import assert_accessible
from tests.helpers import browser_login
from tests.products.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ledger_balance(product, kind: str) -> int:
    sums = LedgerEntry.objects.filter(account__product=product, account__kind=kind).aggregate(
        c=Sum("credit", default=0), d=Sum("debit", default=0)
    )
    return sums["c"] - sums["d"]


@pytest.mark.parametrize("width", [1280, 375])
def test_an_expense_is_refused_to_its_submitter_approved_and_paid_by_two_others(
    browser, live_server, people, paid_product, width
):
    product = paid_product()
    role_grant(user=people.carla, role="finance")  # the creator is finance staff too

    def signed_in(username):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 800}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        browser_login(page, username)
        return page

    creator = signed_in("carla")
    creator.goto(f"/products/{product.pk}/")
    creator.click("text=Submit an expense")
    assert_accessible(creator, f"the expense form, at {width} px")
    creator.fill("#id_description", "Moulds for the prototype")
    creator.fill("#id_amount", "370.00")
    creator.fill("#id_spent_on", "2026-11-30")
    creator.select_option("#id_payee_kind", "supplier")
    creator.fill("#id_supplier_name", "Acme GmbH")
    creator.select_option("#id_supplier_account_kind", "iban")
    creator.fill("#id_supplier_account", "DE89 3704 0044 0532 0130 00")
    creator.set_input_files(
        "#id_receipt", files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    creator.click("#expense-form button[type=submit]")
    expect(creator.locator(".msg.success")).to_contain_text("waiting for finance")
    expense = Expense.objects.get()
    expect(creator.locator(f"#expense-{expense.pk}")).to_contain_text("Acme GmbH")

    creator.goto("/finance/expenses/")
    assert_accessible(creator, f"the finance expense queue, at {width} px")
    creator.click(f"#approve-{expense.pk}")
    expect(creator.locator(".msg.error")).to_contain_text("You submitted this expense")
    expense.refresh_from_db()
    assert expense.status == "submitted"

    fiona = signed_in("fiona")
    fiona.goto("/finance/expenses/?status=submitted")
    fiona.click(f"#approve-{expense.pk}")
    expect(fiona.locator(".msg.success")).to_contain_text("approved")
    fiona.fill(f"#reference-{expense.pk}", "SEPA-2026-11")
    fiona.click(f"#mark-paid-{expense.pk}")
    expect(fiona.locator(".msg.error")).to_contain_text("second finance member")

    felix = signed_in("felix")
    felix.goto("/finance/expenses/?status=approved")
    felix.fill(f"#reference-{expense.pk}", "SEPA-2026-11")
    felix.click(f"#mark-paid-{expense.pk}")
    expect(felix.locator(".msg.success")).to_contain_text("marked paid")
    expense.refresh_from_db()
    assert (expense.status, expense.paid_by, expense.decided_by) == (
        "paid",
        people.felix,
        people.fiona,
    )

    # The budget chart and the ledger agree.
    felix.goto(f"/products/{product.pk}/")
    chart = felix.locator("#budget-chart")
    amounts = {
        key: int(chart.locator(f"rect[data-key={key}]").get_attribute("data-amount"))
        for key in ("spent", "committed", "refunded", "available")
    }
    assert amounts["available"] == ledger_balance(product, AccountKind.PRODUCT_FUNDS) == 63_000
    assert amounts["spent"] == ledger_balance(product, AccountKind.PRODUCT_SPENT) == 37_000
    assert amounts["committed"] == ledger_balance(product, AccountKind.PRODUCT_COMMITTED) == 0
    assert amounts["refunded"] == 0
    expect(felix.locator("#budget-figures [data-key=available]")).to_have_text("630.00 EUR")
    expect(felix.locator(f"#expense-{expense.pk}")).to_contain_text("Paid")
    assert_accessible(felix, f"the product page's budget and expenses, at {width} px")
    for page in (creator, fiona, felix):
        page.context.close()
