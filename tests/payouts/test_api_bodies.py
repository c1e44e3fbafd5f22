"""Request bodies that are JSON but not an object (found by schemathesis without our config:
``null`` to PATCH /api/v1/periods/{id}/ was a 500)."""

from datetime import date

import pytest

from tests.factories import book_totals

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", ["null", "[]", '"text"', "3"])
def test_a_period_body_that_is_not_an_object_is_a_400(team, client_for, body):
    book_totals(team.product, day=date(2026, 1, 3), revenue=100_000, costs=20_000)
    finance = client_for(team.finance)
    url = f"/api/v1/products/{team.product.pk}/periods/"
    period = finance.post(url, {"start": "2026-01-01", "end": "2026-01-31"}).json()
    for method, path in (("patch", f"/api/v1/periods/{period['id']}/"), ("post", url)):
        response = getattr(finance, method)(path, body, content_type="application/json")
        assert response.status_code == 400, (method, response.content)
        assert response.json()["error"]["status"] == 400


def test_a_settlement_read_with_an_unknown_lines_value_is_a_400(
    team, client_for, posted_settlement
):
    """The schema lists what ``lines`` takes; anything else was read as "with lines"."""
    finance = client_for(team.finance)
    url = f"/api/v1/settlements/{posted_settlement.pk}/"
    assert finance.get(url + "?lines=no").json()["lines"] == []
    assert finance.get(url + "?lines=yes").status_code == 200
    response = finance.get(url + "?lines=maybe")
    assert response.status_code == 400
    assert "lines" in response.json()["error"]["fields"]
