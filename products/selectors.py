"""Reads of a product's life."""

from django.db.models import QuerySet

from accounts.models import User
from contributions.selectors import product_get as _product_get
from funding.models import Product

from .life_models import ProductTeamMember


def product_get(*, product_id: int, viewer=None) -> Product | None:
    """A product the viewer may see (hidden ideas' products only for reviewers)."""
    return _product_get(product_id=product_id, viewer=viewer)


def product_team(*, product) -> QuerySet[ProductTeamMember]:
    return ProductTeamMember.objects.filter(product=product).select_related("member", "added_by")


def member_by_username(username: str) -> User | None:
    return User.objects.filter(username__iexact=username, is_active=True).first()
