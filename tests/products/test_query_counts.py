"""The product's pages and API lists cost the same number of queries with 3 rows as with 30
(milestones, team members, updates, expenses, refunds): nothing is read row by row."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from community.services import idea_update_post
from products.money.services.expenses import expense_submit
from products.services import milestone_add, product_team_add
from tests.factories import make_user
from tests.helpers import api_client_as, queries_for

from .conftest import receipt

pytestmark = pytest.mark.django_db


def _grow(cast, product, start: int, end: int) -> None:
    """Rows ``start``..``end - 1`` of each kind the workspace and the product page list."""
    due = timezone.localdate() + timedelta(days=30)
    for n in range(start, end):
        milestone_add(product=product, actor=cast.creator, title=f"Step {n}", due_date=due)
        product_team_add(product=product, actor=cast.creator, member=make_user(f"team{n}"))
        idea_update_post(idea=product.idea, author=cast.creator, body=f"News {n}.")
        expense_submit(
            product=product, member=cast.creator, description=f"Part {n}", amount=1_000 + n,
            spent_on=timezone.localdate(), charged_to="revenue", payee_kind="supplier",
            supplier={"name": f"Supplier {n}", "kind": "iban", "account": "DE89370400440532013000"},
            receipt=receipt(),
        )  # fmt: skip


def _counts(cast, product) -> dict[str, int]:
    creator = api_client_as(cast.creator)
    staff = api_client_as(cast.staff)
    base = f"/api/v1/products/{product.pk}/"
    web = Client()
    web.force_login(cast.creator)
    finance = Client()
    finance.force_login(cast.staff)
    return {
        "workspace": queries_for(web, f"/products/{product.pk}/workspace/"),
        "product page": queries_for(web, f"/products/{product.pk}/"),
        "finance queue": queries_for(finance, "/finance/expenses/"),
        "api team": queries_for(creator, f"{base}team/"),
        "api milestones": queries_for(creator, f"{base}milestones/"),
        "api expenses": queries_for(creator, f"{base}expenses/"),
        "api refunds": queries_for(staff, f"{base}refunds/"),
        "api product": queries_for(creator, base),
    }


def test_the_product_pages_and_lists_cost_the_same_with_3_rows_as_with_30(cast, product):
    _grow(cast, product, 0, 3)
    few = _counts(cast, product)
    _grow(cast, product, 3, 30)
    many = _counts(cast, product)
    assert many == few
