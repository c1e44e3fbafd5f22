"""A payout batch's bank file: made once when finance first asks for it, then kept.

Every later download hands out the stored bytes (the same MsgId, EndToEndIds and SHA-256), also
after the batch is paid, so the record of what went to the bank never changes; a cancelled
batch hands out no file and no payee list.
"""

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict

from ..exports import sepa, target2
from ..models import PayoutBatch, PayoutBatchFile, PayoutBatchStatus
from .common import require_finance


def batch_hands_out(batch: PayoutBatch) -> None:
    """Refuse any file to pay a cancelled batch with (the bank file, the payee list)."""
    if batch.status == PayoutBatchStatus.CANCELLED:
        raise Conflict(
            gettext(
                "Batch %(batch)s was cancelled: nothing in it is to be paid, so it hands out no "
                "bank file and no payee list."
            )
            % {"batch": batch.pk},
            code="batch_cancelled",
        )


@transaction.atomic
def batch_sepa_file(*, batch: PayoutBatch, actor) -> PayoutBatchFile:
    """The EUR batch's SEPA file: made from the batch's snapshot on the first call and stored
    with its MsgId and SHA-256; the stored one on every later call."""
    require_finance(actor)
    if batch.currency != "EUR":
        raise Conflict(
            gettext("SEPA transfers are in euros: this batch is in %(currency)s.")
            % {"currency": batch.currency},
            code="not_eur",
        )
    # The row lock makes two finance members asking at once get one file (not two with
    # different MsgIds), and a cancel or mark-paid running meanwhile is seen as it ends.
    locked = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    batch_hands_out(locked)
    made = PayoutBatchFile.objects.filter(batch=locked).first()
    if made is not None:
        return made
    if locked.status == PayoutBatchStatus.PAID:
        raise Conflict(
            gettext("This batch was marked paid without a SEPA file: none is made afterwards."),
            code="paid_without_file",
        )
    day = locked.execution_date or target2.next_business_day()
    if day < timezone.localdate():
        raise Conflict(
            gettext(
                "The batch's execution date %(day)s has passed and its file was never made: "
                "cancel the batch and create a new one with a new date."
            )
            % {"day": day.isoformat()},
            code="execution_date_passed",
        )
    now = timezone.now()
    built = sepa.sepa_file(locked, execution_date=day, message_id=sepa.msg_id(locked.pk, now))
    if not built.included:
        raise Conflict(
            gettext("No member of this batch is paid to an IBAN: pay them by hand."),
            code="no_iban_payees",
        )
    return PayoutBatchFile.objects.create(
        batch=locked,
        msg_id=sepa.msg_id(locked.pk, now),
        sha256=hashlib.sha256(built.xml).hexdigest(),
        content=built.xml,
        execution_date=day,
        included=built.included,
        control_sum=built.control_sum,
        held_back=built.held_back,
        created_by=actor,
    )


def _held_back_sentence(code: str, name: str, member_id: int) -> str:
    params = {"name": name, "member": member_id}
    if code == sepa.HeldBack.NAME:
        return (
            gettext(
                "%(name)s (member %(member)s) is not in the file: their account holder's name "
                "is missing or cannot be written in a bank transfer's characters. Pay them by hand "
                "or ask them to correct it."
            )
            % params
        )
    if code == sepa.HeldBack.NO_DESTINATION:
        return (
            gettext(
                "%(name)s (member %(member)s) had no payout destination when the batch was made: "
                "pay them by hand."
            )
            % params
        )
    return (
        gettext(
            "%(name)s (member %(member)s) is paid to Alipay or by other means: pay them by hand."
        )
        % params
    )


def bank_file_summaries(batches) -> dict[int, dict]:
    """For the finance page: each made file's MsgId, hash, execution date and, by name, the
    payees it left out (sentences rendered now, in the reader's language)."""
    from accounts.models import User

    files = list(PayoutBatchFile.objects.filter(batch__in=batches).defer("content"))
    member_ids = {held["member"] for f in files for held in f.held_back}
    names = {u.pk: u.public_name for u in User.objects.filter(pk__in=member_ids)}
    return {
        f.batch_id: {
            "file": f,
            "held_back": [
                _held_back_sentence(h["code"], names.get(h["member"], "?"), h["member"])
                for h in f.held_back
            ],
        }
        for f in files
    }
