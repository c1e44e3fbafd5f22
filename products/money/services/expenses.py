"""Expenses with receipts, four eyes: submitted by the product's creator or team, approved or
rejected by finance (never by the submitter), marked paid by a second finance member. An
expense charged to the funds may never overdraw them: checked when it is submitted and again,
under the funds account's row lock, when finance approves it."""

import hashlib
from datetime import date

import filetype
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict, ValidationFailed
from core.phrases import money, said
from core.rules import check
from notifications.services import notify
from payouts import destinations
from payouts.models import Account, AccountKind

from ... import phrases
from ...money_models import ChargedTo, Expense, ExpenseStatus, PayeeKind
from .. import rules, selectors
from . import ledger

RECEIPT_MAX_UPLOAD_BYTES = getattr(settings, "RECEIPT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Receipts are recognised from their bytes (filetype), never from their name.
RECEIPT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
MAX_DESCRIPTION, MAX_REASON, MAX_REFERENCE = 500, 1000, 120
SUPPLIER_KINDS = ("iban", "alipay")


def receipt_check(*, upload) -> tuple[str, str, str]:
    """(mime, extension, sha256) of a receipt: a PDF, JPEG or PNG by its content, not too big."""
    if upload is None:
        raise ValidationFailed.for_field("receipt", gettext("Attach the receipt."))
    if upload.size is not None and upload.size > RECEIPT_MAX_UPLOAD_BYTES:
        raise ValidationFailed.for_field(
            "receipt",
            gettext("Upload a receipt of at most %(limit)s MB: this one is larger.")
            % {"limit": RECEIPT_MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    mime = kind.mime if kind else ""
    if mime not in RECEIPT_TYPES:
        raise ValidationFailed.for_field(
            "receipt", gettext("Upload the receipt as a PDF, JPEG or PNG file.")
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return mime, RECEIPT_TYPES[mime], digest.hexdigest()


def _check_text(fields: dict, name: str, value: str, limit: int, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        fields[name] = [missing]
    elif len(value) > limit or "\x00" in value:
        fields[name] = [gettext("Shorten this to %(limit)s characters.") % {"limit": limit}]
    return value


def _payee(payee_kind: str, payee_member, supplier: dict) -> dict:
    """The payee's columns: a member, or a supplier's name and checked, encrypted account."""
    if payee_kind == PayeeKind.MEMBER:
        if payee_member is None:
            raise ValidationFailed.for_field(
                "payee_member", gettext("Enter the username of the member to pay.")
            )
        return {"payee_member": payee_member}
    if payee_kind != PayeeKind.SUPPLIER:
        raise ValidationFailed.for_field(
            "payee_kind", gettext("Choose a member of the platform or an outside supplier.")
        )
    kind = supplier.get("kind") or ""
    if kind not in SUPPLIER_KINDS:
        raise ValidationFailed.for_field(
            "supplier_account_kind", gettext("Choose the supplier's IBAN or Alipay account.")
        )
    checked = destinations.clean(
        kind=kind,
        holder=supplier.get("name", ""),
        iban=supplier.get("account", "") if kind == "iban" else "",
        bic=supplier.get("bic", ""),
        account=supplier.get("account", "") if kind == "alipay" else "",
    )
    return {
        "supplier_name": checked.holder,
        "supplier_account_kind": kind,
        "supplier_account_masked": destinations.mask(checked),
        "supplier_account_secret": destinations.encrypt(checked),
    }


@transaction.atomic
def expense_submit(
    *,
    product,
    member,
    description: str,
    amount: int,
    spent_on: date,
    charged_to: str,
    payee_kind: str,
    receipt,
    payee_member=None,
    supplier: dict | None = None,
) -> Expense:
    """A new expense, waiting for finance. ``supplier`` is ``{"name", "kind": "iban"|"alipay",
    "account", "bic"}`` for an outside supplier."""
    check(rules.may_submit_expense(product=product, member=member))
    fields: dict[str, list[str]] = {}
    description = _check_text(
        fields, "description", description, MAX_DESCRIPTION, gettext("Say what the money paid for.")
    )
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        fields["amount"] = [gettext("Enter a positive amount in the product's currency.")]
    if charged_to not in ChargedTo.values:
        fields["charged_to"] = [gettext("Choose the funds raised or the product's revenue.")]
    if fields:
        raise ValidationFailed.for_fields(fields)
    payee = _payee(payee_kind, payee_member, supplier or {})
    mime, extension, sha256 = receipt_check(upload=receipt)
    if selectors.product_refunds(product_id=product.pk).exists():
        raise Conflict(
            gettext("This product was abandoned: its funds go back to its backers."),
            code="abandoned",
        )
    if charged_to == ChargedTo.FUNDS:
        available = selectors.available_funds(product_id=product.pk)
        check(rules.may_spend(amount=amount, available=available, currency=product.currency))
    expense = Expense(
        product=product,
        submitted_by=member,
        spent_on=spent_on,
        description=description,
        amount=amount,
        currency=product.currency,
        charged_to=charged_to,
        payee_kind=payee_kind,
        receipt_mime=mime,
        receipt_size=receipt.size,
        receipt_sha256=sha256,
        **payee,
    )
    expense._receipt_extension = extension
    expense.receipt.save("receipt", receipt, save=False)
    expense.save()
    return expense


def _lock_funds(product) -> None:
    """Lock the product's funds account: two approvals of the same product run one at a time,
    so together they never overdraw it."""
    funds = ledger.product_account(product, AccountKind.PRODUCT_FUNDS)
    Account.objects.select_for_update().filter(pk=funds.pk).first()


def _locked(expense: Expense) -> Expense:
    # The expense's row lock: two finance members acting at once record one decision.
    return Expense.objects.select_for_update().select_related("product").get(pk=expense.pk)


def _tell_submitter(expense: Expense, message) -> None:
    notify(
        recipients=[expense.submitted_by],
        kind="expense_decided",
        message=message,
        url=f"/products/{expense.product_id}/#expenses",
    )


def _values(expense: Expense) -> dict:
    return {
        "description": expense.description[:80],
        "amount": money(expense.amount, expense.currency),
    }


@transaction.atomic
def expense_approve(*, expense: Expense, actor) -> Expense:
    """Finance approves: charged to the funds, its amount is committed (leaves the available
    funds) at once, unless that would overdraw them."""
    expense = _locked(expense)
    check(rules.may_decide_expense(expense=expense, member=actor))
    if expense.charged_to == ChargedTo.FUNDS:
        _lock_funds(expense.product)
        available = selectors.available_funds(product_id=expense.product_id)
        check(
            rules.may_spend(amount=expense.amount, available=available, currency=expense.currency)
        )
        expense.commitment = ledger.expense_commit_post(expense=expense, actor_id=actor.pk)
    expense.status = ExpenseStatus.APPROVED
    expense.decided_by, expense.decided_at = actor, timezone.now()
    expense.save(update_fields=["status", "decided_by", "decided_at", "commitment"])
    _tell_submitter(
        expense,
        said(phrases.EXPENSE_APPROVED_NOTICE, **_values(expense)),
    )
    return expense


@transaction.atomic
def expense_reject(*, expense: Expense, actor, reason: str) -> Expense:
    expense = _locked(expense)
    check(rules.may_decide_expense(expense=expense, member=actor))
    fields: dict[str, list[str]] = {}
    reason = _check_text(fields, "reason", reason, MAX_REASON, gettext("Say why it is rejected."))
    if fields:
        raise ValidationFailed.for_fields(fields)
    expense.status = ExpenseStatus.REJECTED
    expense.decided_by, expense.decided_at = actor, timezone.now()
    expense.reject_reason = reason
    expense.save(update_fields=["status", "decided_by", "decided_at", "reject_reason"])
    _tell_submitter(
        expense,
        said(phrases.EXPENSE_REJECTED_NOTICE, reason=reason, **_values(expense)),
    )
    return expense


@transaction.atomic
def expense_mark_paid(*, expense: Expense, actor, reference: str = "") -> Expense:
    """A second finance member records the payment (a supplier: with the bank's reference); a
    member payee's amount goes to their payable account, paid with the next payout batch."""
    expense = _locked(expense)
    check(rules.may_mark_expense_paid(expense=expense, member=actor))
    reference = (reference or "").strip()
    if expense.payee_kind == PayeeKind.SUPPLIER and not reference:
        raise ValidationFailed.for_field(
            "reference", gettext("Enter the payment's reference (bank transfer id, receipt…).")
        )
    if len(reference) > MAX_REFERENCE or "\x00" in reference:
        raise ValidationFailed.for_field(
            "reference", gettext("Shorten this to %(limit)s characters.") % {"limit": MAX_REFERENCE}
        )
    expense.payment = ledger.expense_paid_post(expense=expense, actor_id=actor.pk)
    expense.status = ExpenseStatus.PAID
    expense.paid_by, expense.paid_at, expense.paid_reference = actor, timezone.now(), reference
    expense.save(update_fields=["status", "paid_by", "paid_at", "paid_reference", "payment"])
    message = said(phrases.EXPENSE_PAID_NOTICE, **_values(expense))
    recipients = [expense.submitted_by]
    if expense.payee_member_id:
        recipients.append(expense.payee_member)
    notify(
        recipients=recipients,
        kind="expense_paid",
        message=message,
        url=f"/products/{expense.product_id}/#expenses",
    )
    return expense
