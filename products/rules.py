"""Who may manage a product (placeholder until the life half's team lands: the creator only;
h-life's ``may_manage_product`` replaces this module's body on merge)."""

from django.utils.translation import gettext

from core.errors import NotAllowed
from core.rules import Refusal


def may_manage_product(*, product, member) -> Refusal | None:
    """The product's creator (and, with the life half, its team) manages it."""
    if member is None or not member.is_authenticated or member.pk != product.idea.creator_id:
        return NotAllowed(gettext("Only the product's creator and team may do this."))
    return None
