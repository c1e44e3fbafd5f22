"""Who may do what with a product's money. Each rule returns a refusal or None
(``core.rules``); services check them, pages and the API show their messages."""

from django.utils.translation import gettext

from accounts.roles import is_finance, is_reviewer
from core.errors import Conflict, NotAllowed
from core.money import format_money
from core.rules import Refusal

from .. import rules as product_rules
from ..money_models import ExpenseStatus


def may_submit_expense(*, product, member) -> Refusal | None:
    """The creator or a member of the product's team (``products.rules.may_manage_product``)."""
    refusal = product_rules.may_manage_product(product=product, member=member)
    if refusal is not None:
        return NotAllowed(gettext("Only the product's creator and team may submit expenses."))
    return None


def may_decide_expense(*, expense, member) -> Refusal | None:
    """Finance approves or rejects a waiting expense, never their own."""
    if not is_finance(member):
        return NotAllowed(gettext("Only finance staff may approve or reject expenses."))
    if member.pk == expense.submitted_by_id:
        return NotAllowed(gettext("You submitted this expense: another finance member decides."))
    if expense.status != ExpenseStatus.SUBMITTED:
        return Conflict(gettext("This expense is already decided."), code="already_decided")
    return None


def may_mark_expense_paid(*, expense, member) -> Refusal | None:
    """A second finance member (neither the submitter nor the approver) marks it paid."""
    if not is_finance(member):
        return NotAllowed(gettext("Only finance staff may mark expenses paid."))
    if member.pk in (expense.submitted_by_id, expense.decided_by_id):
        return NotAllowed(
            gettext("A second finance member marks it paid: not its submitter or its approver.")
        )
    if expense.status != ExpenseStatus.APPROVED:
        return Conflict(gettext("Only an approved, unpaid expense can be marked paid."))
    return None


def may_spend(*, amount: int, available: int, currency: str) -> Refusal | None:
    """An expense may not overdraw the funds: the refusal says how much is left."""
    if amount > available:
        return Conflict(
            gettext(
                "This expense would overdraw the product's funds: only %(left)s is left to spend."
            )
            % {"left": format_money(max(available, 0), currency)},
            code="overdraw",
        )
    return None


def may_see_receipt(*, member, is_backer: bool, is_contributor: bool, manages: bool) -> bool:
    """Receipts: the product's backers, contributors, team, reviewers and finance; never the
    public."""
    if member is None or not member.is_authenticated:
        return False
    return is_backer or is_contributor or manages or is_finance(member) or is_reviewer(member)


def may_see_all_refunds(*, member, manages: bool) -> bool:
    """Every backer's refund: finance, reviewers and the product's team; a backer sees theirs."""
    if member is None or not member.is_authenticated:
        return False
    return manages or is_finance(member) or is_reviewer(member)


def may_confirm_refund(*, member) -> Refusal | None:
    if not is_finance(member):
        return NotAllowed(gettext("Only finance staff may confirm refunds."))
    return None
