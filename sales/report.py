"""The public report of a posted settlement (docs/verify.md): what anyone needs to recompute the
profit from the lines and every share from the weights, with the SHA-256 of its canonical
content. Written once, the first time it is asked for, and stored with the settlement."""

import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction

from core.money import exponent
from payouts.allocation import CREATOR_SHARE_BP
from payouts.models import LineRole

from . import selectors
from .models import SettlementReport
from .verifier import allocation_sha256
from .verify_main import REPORT_FORMAT, canonical

RULE_VERSION = "ahhha-split/1"  # largest remainder, creator 10 %, fee 10–25 %, loss carried


def pseudonym(*, product_id: int, member_id: int) -> str:
    """A member's stable name in one product's reports: the same in every period of the
    product, unlinkable across products without the site's key."""
    key = settings.SECRET_KEY.encode()
    mac = hmac.new(key, f"sales-report:{product_id}:{member_id}".encode(), hashlib.sha256)
    return f"member-{mac.hexdigest()[:12]}"


def _names(product_id: int, member_ids: list[int]) -> dict[int, str]:
    """Members whose profile is public (they show their earnings on it) by name, the others
    by pseudonym."""
    public = selectors.public_usernames(member_ids=member_ids)
    return {m: public.get(m) or pseudonym(product_id=product_id, member_id=m) for m in member_ids}


def _shares(settlement) -> dict:
    lines = selectors.settlement_parties(settlement_id=settlement.pk)
    names = _names(settlement.product_id, [m for m, *_ in lines if m is not None])
    creator = {"member": None, "share": 0}
    platform = {"share": 0}
    contributors = []
    for member_id, role, weight, amount in lines:
        if role == LineRole.CREATOR:
            creator = {"member": names[member_id], "share": amount}
        elif role == LineRole.PLATFORM:
            platform = {"share": amount}
        else:
            contributors.append({"member": names[member_id], "weight": weight, "share": amount})
    for rank, entry in enumerate(contributors, start=1):
        entry["rank"] = rank  # the split's order (ascending member id) without the ids
    return {"creator": creator, "platform": platform, "contributors": contributors}


def report_body(settlement) -> dict:
    """The report's content (everything but its hash)."""
    period, product = settlement.period, settlement.product
    found = selectors.breakdown(product=product, start=period.start, end=period.end)
    return {
        "format": REPORT_FORMAT,
        "settlement": settlement.pk,
        "product": {"id": product.pk, "title": str(product)},
        "period": {
            "id": period.pk,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },  # fmt: skip
        "currency": settlement.currency,
        "currency_places": exponent(settlement.currency),
        "sales": {"channels": found.channels},
        "costs": {
            "expenses": [{**e, "date": str(e["date"])} for e in found.expenses],
            "adjustments": [
                {
                    "id": a.pk,
                    "date": a.date.isoformat(),
                    "revenue": a.revenue,
                    "costs": a.costs,
                    "origin": a.origin,
                    "reason": a.reason,
                }  # fmt: skip
                for a in found.adjustments
            ],
        },
        "totals": {
            "revenue": period.revenue,
            "costs": period.costs,
            "profit": settlement.profit,
            "carried_loss_in": settlement.carried_loss_in,
            "distributable": settlement.distributable,
            "carried_loss_out": settlement.carried_loss_out,
        },
        "rates": {"creator_bp": CREATOR_SHARE_BP, "platform_fee_bp": settlement.platform_fee_bp},
        "rule": {
            "version": RULE_VERSION,
            "source": "payouts/allocation.py",
            "source_sha256": allocation_sha256(),
        },  # fmt: skip
        "shares": _shares(settlement),
        "posted_at": settlement.posted_at.isoformat() if settlement.posted_at else None,
    }


def serialized(report: SettlementReport) -> bytes:
    """The stored canonical content with its hash added (the verifier removes it again)."""
    return bytes(report.content)[:-1] + f',"sha256":"{report.sha256}"}}'.encode()


def settlement_report(*, settlement_id: int) -> SettlementReport | None:
    """The settlement's report, written the first time it is asked for after posting; None
    for a settlement that was never posted."""
    found = SettlementReport.objects.filter(settlement_id=settlement_id).first()
    if found is not None:
        return found
    settlement = selectors.published_settlement(settlement_id=settlement_id)
    if settlement is None:
        return None
    content = canonical(report_body(settlement))
    try:
        with transaction.atomic():
            return SettlementReport.objects.create(
                settlement=settlement, content=content,
                sha256=hashlib.sha256(content).hexdigest(),
            )  # fmt: skip
    except IntegrityError:  # written by a concurrent request: theirs stands
        return SettlementReport.objects.get(settlement_id=settlement_id)
