"""Pledges: create, change and cancel one's pledge while a round is open."""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict, NotFound, ValidationFailed
from core.rules import check
from ideas.models import Idea

from .. import rules
from ..models import Pledge, PledgeStatus


def lock_round(idea_id: int) -> Idea:
    """Re-read the idea with a share lock (PostgreSQL ``FOR SHARE``).

    Prevents the pledge/close race: the close takes ``FOR UPDATE`` on the same row, so a pledge
    either commits before the close sums the pledges or waits and then sees the round closed.
    Pledges do not block each other.
    """
    # Raw SQL: the ORM has no FOR SHARE.
    with connection.cursor() as cursor:
        table = Idea._meta.db_table
        cursor.execute(f"SELECT id FROM {table} WHERE id = %s FOR SHARE", [idea_id])  # noqa: S608
    return Idea.objects.filter(pk=idea_id).select_related("creator").get()


def _check_amount(amount, currency: str) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationFailed.for_field(
            "amount",
            gettext("Enter the amount as a whole number of minor units (1250 for 12.50 EUR)."),
        )
    error = rules.pledge_amount_error(amount=amount, currency=currency)
    if error:
        raise ValidationFailed.for_field("amount", error)
    return amount


def pledge_create(*, idea: Idea, member, amount: int) -> Pledge:
    """Pledge ``amount`` minor units (≥ one major unit) to an idea in funding; one active pledge
    per member and idea (change it with pledge_change)."""
    check(rules.may_pledge(idea=idea, member=member, now=timezone.now()))
    _check_amount(amount, idea.currency)
    with transaction.atomic():
        locked = lock_round(idea.pk)
        check(rules.funding_open(idea=locked, now=timezone.now()))
        try:
            with transaction.atomic():
                return Pledge.objects.create(
                    idea=locked, member=member, amount=amount, currency=locked.currency
                )
        except IntegrityError:
            raise Conflict(
                gettext("You already pledged to this idea: change or cancel that pledge."),
                code="already_pledged",
            ) from None


def _active_pledge_of(idea_id: int, member) -> Pledge:
    pledge = (
        Pledge.objects.select_for_update()
        .filter(idea_id=idea_id, member=member, status=PledgeStatus.ACTIVE)
        .first()
    )
    if pledge is None:
        raise NotFound(gettext("You have no open pledge on this idea."))
    return pledge


def pledge_change(*, idea: Idea, member, amount: int) -> Pledge:
    """Change one's active pledge while the round is open."""
    _check_amount(amount, idea.currency)
    with transaction.atomic():
        locked = lock_round(idea.pk)
        check(rules.may_change_pledge(idea=locked, member=member, now=timezone.now()))
        pledge = _active_pledge_of(idea.pk, member)
        pledge.amount = amount
        pledge.save(update_fields=["amount", "updated_at"])
        return pledge


def pledge_cancel(*, idea: Idea, member) -> Pledge:
    """Cancel one's active pledge while the round is open."""
    with transaction.atomic():
        locked = lock_round(idea.pk)
        check(rules.may_change_pledge(idea=locked, member=member, now=timezone.now()))
        pledge = _active_pledge_of(idea.pk, member)
        pledge.status = PledgeStatus.CANCELLED
        pledge.save(update_fields=["status", "updated_at"])
        return pledge
