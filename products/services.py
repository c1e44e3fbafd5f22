"""State changes of a product's life (keyword-only ``<noun>_<verb>``, atomic). Every change is
a line on the product's public timeline (``ProductEvent``: a code and its parameters)."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import ValidationFailed
from core.phrases import day, said
from core.rules import check
from ideas.models import IdeaStatus
from ideas.transitions import idea_transition
from notifications.services import notify

from . import phrases, refunds, rules, selectors
from .life_models import (
    Abandonment,
    Ending,
    Milestone,
    ProductEvent,
    ProductLife,
    ProductTeamMember,
    Stage,
)

NOTE_MAX = 2000
TITLE_MAX = 200
DESCRIPTION_MAX = 5000
REASON_MAX = 2000
# How the idea's own status follows the product's stage (ideas' state machine, one step each).
IDEA_STATUS_AT = {
    Stage.PRODUCTION: [IdeaStatus.IN_PRODUCTION],
    Stage.ON_SALE: [IdeaStatus.IN_PRODUCTION, IdeaStatus.LAUNCHED],
}


def _event(product, code: str, *, actor=None, note: str = "", **params) -> ProductEvent:
    return ProductEvent.objects.create(
        product=product, code=code, actor=actor, note=note, params=params
    )


def _text(value: str, field: str, *, max_length: int, missing: str, too_long: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed.for_field(field, missing)
    if len(value) > max_length:
        raise ValidationFailed.for_field(field, too_long % {"max": max_length})
    return value


def _life_locked(product) -> ProductLife:
    """The product's life row, written if missing, locked FOR UPDATE: two moves (or a move and
    an abandonment) of one product run one after the other."""
    ProductLife.objects.bulk_create(
        [ProductLife(product=product, stage_since=product.created_at)], ignore_conflicts=True
    )
    life = ProductLife.objects.select_for_update().get(product=product)
    product.idea.refresh_from_db(fields=["status"])
    # The idea moved on through funding's own move (the admin's): the stage keeps up.
    stage = selectors.life_of(product).stage
    if stage != life.stage:
        life.stage = stage
        life.save(update_fields=["stage"])
    return life


@transaction.atomic
def product_team_add(*, product, actor, member) -> ProductTeamMember:
    """The creator adds ``member`` to the product's team (rules.may_add_team_member)."""
    check(rules.may_add_team_member(product=product, actor=actor, member=member))
    try:
        # The unique constraint settles two adds of the same member at once.
        with transaction.atomic():
            row = ProductTeamMember.objects.create(product=product, member=member, added_by=actor)
    except IntegrityError:
        raise ValidationFailed.for_field(
            "username", gettext("This member is on the team already."), code="duplicate"
        ) from None
    _event(product, ProductEvent.Code.TEAM_MEMBER_ADDED, actor=actor, member=member.pk)
    return row


def _sync_idea_status(product, stage: str, actor, note: str) -> None:
    idea = product.idea
    for status in IDEA_STATUS_AT.get(stage, []):
        order = [IdeaStatus.FUNDED, IdeaStatus.IN_PRODUCTION, IdeaStatus.LAUNCHED]
        if idea.status in order and order.index(idea.status) < order.index(status):
            idea_transition(idea=idea, to_status=status, actor=actor, reason=note)


@transaction.atomic
def product_stage_move(*, product, actor, stage: str, note: str) -> ProductLife:
    """The creator or a reviewer moves the product forward with a note; its idea follows
    (production: in production, on sale: launched). Ending here means completed."""
    life = _life_locked(product)
    check(rules.may_move_stage(product=product, life=life, actor=actor, to_stage=stage))
    note = _text(
        note,
        "note",
        max_length=NOTE_MAX,
        missing=gettext("Write a note: what changed for the product."),
        too_long=gettext("Shorten the note to %(max)s characters."),
    )
    before = life.stage
    life.stage = stage
    life.ending = Ending.COMPLETED if stage == Stage.ENDED else ""
    life.stage_since = timezone.now()
    life.save()
    _sync_idea_status(product, stage, actor, note)
    _event(
        product, ProductEvent.Code.STAGE_MOVED, actor=actor, note=note, to=stage, **{"from": before}
    )
    return life


def _milestone_fields(*, title, description, due_date) -> dict:
    fields = {}
    if title is not None:
        fields["title"] = _text(
            title,
            "title",
            max_length=TITLE_MAX,
            missing=gettext("Give the milestone a title."),
            too_long=gettext("Shorten the title to %(max)s characters."),
        )
    if description is not None:
        description = description.strip()
        if len(description) > DESCRIPTION_MAX:
            raise ValidationFailed.for_field(
                "description",
                gettext("Shorten the description to %(max)s characters.")
                % {"max": DESCRIPTION_MAX},
            )
        fields["description"] = description
    if due_date is not None:
        fields["due_date"] = due_date
    return fields


@transaction.atomic
def milestone_add(
    *, product, actor, title: str, due_date: date, description: str = ""
) -> Milestone:
    """The team promises a step by a date (rules.may_plan)."""
    life = _life_locked(product)
    check(rules.may_plan(product=product, life=life, member=actor))
    fields = _milestone_fields(title=title, description=description, due_date=due_date)
    milestone = Milestone.objects.create(product=product, created_by=actor, **fields)
    _event(
        product,
        ProductEvent.Code.MILESTONE_ADDED,
        actor=actor,
        milestone=milestone.pk,
        title=milestone.title,
        due=milestone.due_date.isoformat(),
    )
    return milestone


@transaction.atomic
def milestone_change(
    *,
    milestone: Milestone,
    actor,
    title: str | None = None,
    description: str | None = None,
    due_date: date | None = None,
    done: bool = False,
    note: str = "",
    update=None,
) -> Milestone:
    """The team edits an open milestone, or marks it done with a note or one of the creator's
    updates on the idea as evidence. A new due date is on the timeline."""
    product = milestone.product
    life = _life_locked(product)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    check(rules.may_change_milestone(milestone=milestone, life=life, member=actor))
    old_due = milestone.due_date
    for name, value in _milestone_fields(
        title=title, description=description, due_date=due_date
    ).items():
        setattr(milestone, name, value)
    if done:
        note = (note or "").strip()
        if not note and update is None:
            raise ValidationFailed.for_field(
                "note", gettext("Say how it was met: write a note or choose an update.")
            )
        if len(note) > NOTE_MAX:
            raise ValidationFailed.for_field(
                "note", gettext("Shorten the note to %(max)s characters.") % {"max": NOTE_MAX}
            )
        if update is not None and update.idea_id != product.idea_id:
            raise ValidationFailed.for_field(
                "update", gettext("Choose an update posted on this product's idea.")
            )
        milestone.done_at, milestone.done_by = timezone.now(), actor
        milestone.done_note, milestone.done_update = note, update
    milestone.save()
    if milestone.due_date != old_due:
        _event(
            product,
            ProductEvent.Code.MILESTONE_RESCHEDULED,
            actor=actor,
            milestone=milestone.pk,
            title=milestone.title,
            **{"from": old_due.isoformat(), "to": milestone.due_date.isoformat()},
        )
    if done:
        _event(
            product,
            ProductEvent.Code.MILESTONE_DONE,
            actor=actor,
            note=milestone.done_note,
            milestone=milestone.pk,
            title=milestone.title,
            update=update.pk if update is not None else None,
        )
    return milestone


def milestone_tell_slipped(*, milestone_id: int, today: date) -> bool:
    """Tell the product's backers and followers, once, that a milestone slipped. The
    conditional UPDATE claims the telling: a second run (or a second worker) finds it told."""
    with transaction.atomic():
        won = Milestone.objects.filter(
            pk=milestone_id, done_at__isnull=True, due_date__lt=today, slip_told_at__isnull=True
        ).update(slip_told_at=timezone.now())
        if not won:
            return False
        milestone = Milestone.objects.select_related("product__idea").get(pk=milestone_id)
        product = milestone.product
        notify(
            recipients=selectors.audience(product=product),
            kind="milestone_slipped",
            message=said(
                phrases.MILESTONE_SLIPPED_NOTICE,
                title=product.idea.title,
                milestone=milestone.title,
                due=day(milestone.due_date),
            ),
            url=f"/products/{product.pk}/#milestone-{milestone.pk}",
        )
        _event(
            product,
            ProductEvent.Code.MILESTONE_SLIPPED,
            milestone=milestone.pk,
            title=milestone.title,
            due=milestone.due_date.isoformat(),
        )
    return True


def milestones_tell_slipped(*, today: date | None = None) -> int:
    """Beat job: every milestone past its due date is told once; safe to run twice."""
    today = today or timezone.localdate()
    ids = list(selectors.milestones_slipped_untold(today=today).values_list("pk", flat=True))
    return sum(milestone_tell_slipped(milestone_id=pk, today=today) for pk in ids)


def _reason(reason: str) -> str:
    return _text(
        reason,
        "reason",
        max_length=REASON_MAX,
        missing=gettext("Give the reason: the backers read it."),
        too_long=gettext("Shorten the reason to %(max)s characters."),
    )


@transaction.atomic
def abandonment_ask(*, product, actor, reason: str) -> Abandonment:
    """The creator (at any time) or a reviewer (after 90 silent days) asks to abandon the
    product; a different reviewer confirms (``abandonment_confirm``)."""
    life = _life_locked(product)
    now = timezone.now()
    since = selectors.silent_since(product=product)
    check(
        rules.may_ask_abandonment(
            product=product, life=life, actor=actor, silent_since=since, now=now
        )
    )
    if Abandonment.objects.filter(product=product).exists():
        raise ValidationFailed.for_field(
            "reason", gettext("Abandoning this product was asked already."), code="duplicate"
        )
    abandonment = Abandonment.objects.create(
        product=product, asked_by=actor, reason=_reason(reason)
    )
    _event(
        product,
        ProductEvent.Code.ABANDONMENT_ASKED,
        actor=actor,
        note=abandonment.reason,
        abandonment=abandonment.pk,
    )
    return abandonment


@transaction.atomic
def abandonment_confirm(*, product, actor) -> Abandonment:
    """A different reviewer confirms: the product ends, abandoned, and once this commits the
    refunds of its available funds start (``products.refunds``, pro rata to what each paid)."""
    life = _life_locked(product)
    abandonment = Abandonment.objects.select_for_update().filter(product=product).first()
    if abandonment is None:
        raise ValidationFailed.for_field(
            "product", gettext("Nobody asked to abandon this product."), code="not_asked"
        )
    check(rules.may_confirm_abandonment(abandonment=abandonment, actor=actor))
    abandonment.status = Abandonment.Status.CONFIRMED
    abandonment.confirmed_by, abandonment.confirmed_at = actor, timezone.now()
    abandonment.save()
    before = life.stage
    life.stage, life.ending, life.stage_since = Stage.ENDED, Ending.ABANDONED, timezone.now()
    life.save()
    _event(
        product,
        ProductEvent.Code.ABANDONMENT_CONFIRMED,
        actor=actor,
        abandonment=abandonment.pk,
        **{"from": before},
    )
    abandonment_id = abandonment.pk
    # h-money's half: the pro-rata refunds, started once the abandonment is committed.
    transaction.on_commit(lambda: refunds.abandonment_refunds_start(abandonment_id=abandonment_id))
    return abandonment
