"""State changes of a product's life (keyword-only ``<noun>_<verb>``, atomic)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from core.errors import ValidationFailed
from core.rules import check

from . import rules
from .life_models import ProductTeamMember


@transaction.atomic
def product_team_add(*, product, actor, member) -> ProductTeamMember:
    """The creator adds ``member`` to the product's team (rules.may_add_team_member)."""
    check(rules.may_add_team_member(product=product, actor=actor, member=member))
    try:
        # The unique constraint settles two adds of the same member at once.
        with transaction.atomic():
            return ProductTeamMember.objects.create(product=product, member=member, added_by=actor)
    except IntegrityError:
        raise ValidationFailed.for_field(
            "username", gettext("This member is on the team already."), code="duplicate"
        ) from None
