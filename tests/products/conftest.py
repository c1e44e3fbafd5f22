"""The products tests' people and builders: a funded product whose backers paid (manual
adapter, finance confirming), expenses with real receipt files, and the Stripe fixtures."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from funding.models import Payment
from funding.services import funding_round_close, payment_confirm, pledge_create
from products.money.services.expenses import (
    expense_approve,
    expense_mark_paid,
    expense_submit,
)
from tests.factories import idea_in_funding

# The smallest files filetype recognises by their bytes.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


def receipt(content: bytes = PDF, name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def people(make_user):
    """A creator, two reviewers, two finance members, three backers and a bystander."""

    class People:
        carla = make_user("carla")
        rita = make_user("rita", role="reviewer")
        ralf = make_user("ralf", role="reviewer")
        fiona = make_user("fiona", role="finance")
        felix = make_user("felix", role="finance")
        alice = make_user("alice")
        bob = make_user("bob")
        chen = make_user("chen")
        dora = make_user("dora")

    return People


@pytest.fixture
def paid_product(people, django_capture_on_commit_callbacks):
    """A product whose three backers paid 50,000 / 30,000 / 20,000 (EUR minor units), each
    payment confirmed by finance (the manual adapter): 100,000 in its funds."""

    def make(pledges=None, currency="EUR"):
        pledges = pledges or {"alice": 50_000, "bob": 30_000, "chen": 20_000}
        idea = idea_in_funding(
            people.carla, people.rita, goal=sum(pledges.values()), currency=currency
        )
        for name, amount in pledges.items():
            pledge_create(idea=idea, member=getattr(people, name), amount=amount)
        with django_capture_on_commit_callbacks(execute=True):
            product = funding_round_close(idea=idea, actor=people.rita)
        for payment in Payment.objects.filter(pledge__idea=idea).order_by("pk"):
            payment_confirm(payment=payment, actor=people.fiona, reference=f"bank-{payment.pk}")
        product.refresh_from_db()
        return product

    return make


@pytest.fixture
def spend(people):
    """An expense submitted by the creator, approved by fiona, paid by felix."""

    def make(product, amount, *, description="Moulds for the prototype", **kw):
        expense = expense_submit(
            product=product,
            member=people.carla,
            description=description,
            amount=amount,
            spent_on=kw.pop("spent_on", product.created_at.date()),
            charged_to=kw.pop("charged_to", "funds"),
            payee_kind="supplier",
            supplier=kw.pop(
                "supplier",
                {"name": "Acme GmbH", "kind": "iban", "account": "DE89370400440532013000"},
            ),
            receipt=receipt(),
        )
        expense_approve(expense=expense, actor=people.fiona)
        return expense_mark_paid(expense=expense, actor=people.felix, reference="SEPA-1")

    return make


from tests.payments.stripe_fixtures import (  # noqa: E402, F401  (fixtures for the Stripe tests)
    checked_requests,
    round_with_cards,
    stripe_fake,
    stripe_settings,
)
