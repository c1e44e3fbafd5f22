"""What products tell members is stored as a phrase (code and parameters: amounts in minor units
with their currency), never as words: a Chinese backer reads their refund in Chinese and yuan
notation, an English one in English."""

from django.utils import translation

from core.phrases import money
from notifications.models import Notification
from products.models import BackerRefund
from products.money.services.expenses import expense_reject, expense_submit
from products.money.services.refunds import refund_confirm, refunds_start

from .conftest import receipt


def test_expenses_and_refunds_are_told_as_phrases(
    people, paid_product, spend, django_capture_on_commit_callbacks, mailoutbox
):
    people.alice.language = "zh-hans"
    people.alice.save(update_fields=["language"])
    product = paid_product(currency="CNY")
    spend(product, 20_000)
    refused = expense_submit(
        product=product, member=people.carla, description="Tooling", amount=5_000,
        spent_on=product.created_at.date(), charged_to="funds", payee_kind="supplier",
        supplier={"name": "Acme", "kind": "iban", "account": "DE89370400440532013000"},
        receipt=receipt(),
    )  # fmt: skip
    expense_reject(expense=refused, actor=people.fiona, reason="No receipt")
    with django_capture_on_commit_callbacks(execute=True):
        refunds_start(product=product, abandonment_id=1)
    with django_capture_on_commit_callbacks(execute=True):
        for refund in BackerRefund.objects.filter(product=product):
            refund_confirm(refund=refund, actor=people.felix, reference=f"back-{refund.pk}")

    told = {(n.kind, n.code) for n in Notification.objects.filter(message="")}
    assert {
        ("expense_decided", "expense_approved_notice"),
        ("expense_decided", "expense_rejected_notice"),
        ("expense_paid", "expense_paid_notice"),
        ("backer_refund", "refund_promised_notice"),
        ("backer_refund", "refund_done_notice"),
    } <= told
    rejected = Notification.objects.get(code="expense_rejected_notice")
    assert rejected.params == {
        "description": "Tooling", "amount": money(5_000, "CNY"), "reason": "No receipt"
    }  # fmt: skip
    with translation.override("en"):
        assert rejected.text == "Your expense “Tooling” (50.00 CNY) is rejected: No receipt"
    to_alice = [m.body for m in mailoutbox if m.to == [people.alice.email]]
    assert any("已退款给你" in body and "¥400.00" in body for body in to_alice), to_alice
    to_bob = [m.body for m in mailoutbox if m.to == [people.bob.email]]
    assert any("of your pledge is refunded to you" in body for body in to_bob), to_bob
