"""Who sees what of a product's money, for the API and the pages (the rules say; this reads
the facts they need)."""

from .. import rules as product_rules
from . import rules, selectors


def manages(product, member) -> bool:
    if member is None or not member.is_authenticated:
        return False
    return product_rules.may_manage_product(product=product, member=member) is None


def sees_receipts(product, member) -> bool:
    """Backers, contributors, the team, reviewers and finance; never the public."""
    if member is None or not member.is_authenticated:
        return False
    return rules.may_see_receipt(
        member=member,
        is_backer=selectors.is_backer(product=product, member_id=member.pk),
        is_contributor=selectors.is_contributor(product=product, member_id=member.pk),
        manages=manages(product, member),
    )
