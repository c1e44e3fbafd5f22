"""Reads of products (the money half: expenses; the budget is ``products.money.selectors``)."""

from datetime import date

from .money_models import ChargedTo, Expense, ExpenseStatus

# An expense counts as a cost once finance approved it (paid or not); submitted and rejected
# ones never do.
COUNTED_EXPENSE_STATUSES = (ExpenseStatus.APPROVED, ExpenseStatus.PAID)


def expenses_charged_to_revenue(*, product_id: int, start: date, end: date) -> list[dict]:
    """The product's costs of sales between ``start`` and ``end`` (both days included, by the
    day the money was spent): the approved or paid expenses charged to its revenue, oldest
    first, each as ``{"id", "date", "description", "amount", "currency", "receipt_sha256"}``
    (amount in the product's minor units). Expenses charged to the funds raised are not costs
    of sales: they come out of the money the backers gave."""
    rows = (
        Expense.objects.filter(
            product_id=product_id,
            charged_to=ChargedTo.REVENUE,
            status__in=COUNTED_EXPENSE_STATUSES,
            spent_on__gte=start,
            spent_on__lte=end,
        )
        .order_by("spent_on", "id")
        .values("id", "spent_on", "description", "amount", "currency", "receipt_sha256")
    )
    return [
        {
            "id": row["id"],
            "date": row["spent_on"],
            "description": row["description"],
            "amount": row["amount"],
            "currency": row["currency"],
            "receipt_sha256": row["receipt_sha256"],
        }
        for row in rows
    ]
