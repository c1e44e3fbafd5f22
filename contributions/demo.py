"""Demo contributions for ``seed_demo``: runs after the funding demo has made products.

Demo members claim design, engineering, production and marketing work on every funded product;
the creator endorses some claims; ``reviewer`` approves most (adjusting the points the way a
reviewer does), one is rejected with a reason, and a few stay pending for the reviewer queue.
Everything goes through the real services, so the creator and the claimants get their
notifications too.
"""

import random
from datetime import timedelta

from django.utils import timezone

from accounts.demo import MEMBERS
from accounts.models import User
from funding.models import Product

from .models import Contribution, ContributionStatus
from .services import (
    contribution_approve,
    contribution_endorse,
    contribution_reject,
    contribution_submit,
)

# kind, description (formatted with the product's title), proposed points
CLAIMS = [
    ("design", "Industrial design for {title}: three rounds of sketches, the final CAD model "
     "and the colour study.", 120),
    ("engineering", "Built the working prototype of {title} and wrote the test plan; "
     "fixed the two weak points the first testers found.", 150),
    ("production", "Found and audited the manufacturer for {title}, negotiated the first "
     "batch of 500 units and the quality checks.", 110),
    ("marketing", "Ran the launch campaign for {title}: newsletter, two videos and the "
     "press kit (about 40,000 views in the first week).", 80),
    ("design", "Packaging and unboxing insert for {title}, printed samples included.", 60),
    ("other", "Translated the {title} manual and product page into German and Spanish.", 30),
    ("marketing", "Organised three pop-up demos of {title} at local makers' fairs.", 50),
    ("engineering", "Wrote the companion app's first version for {title}.", 90),
]  # fmt: skip
# How a reviewer adjusts proposed points (percent); deterministic per claim.
ADJUSTMENTS = [100, 100, 90, 80, 110, 75, 100, 120]


def _members() -> list[User]:
    users = {u.username: u for u in User.objects.filter(username__in=MEMBERS)}
    return [users[name] for name in MEMBERS if name in users]


def seed(stdout) -> None:
    reviewer = User.objects.filter(username="reviewer").first()
    products = list(Product.objects.select_related("idea", "idea__creator").order_by("id"))
    members = _members()
    if reviewer is None or not products or not members:
        stdout.write("Contributions demo: no products yet; skipped.")
        return
    rng = random.Random(2026)
    counts = {"approved": 0, "pending": 0, "rejected": 0, "endorsed": 0}
    rejected_one = False
    for index, product in enumerate(products):
        creator = product.idea.creator
        helpers = [m for m in members if m.pk != creator.pk]
        rng.shuffle(helpers)
        made = _claims_on(product, index, helpers)
        for n, claim in enumerate(made):
            if claim.member_id != creator.pk and n % 2 == 0:
                contribution_endorse(contribution=claim, actor=creator)
                counts["endorsed"] += 1
            if n == len(made) - 1 or (n == len(made) - 2 and index % 2 == 0):
                counts["pending"] += 1  # left for the reviewer queue
            elif not rejected_one and n == 3:
                contribution_reject(
                    contribution=claim,
                    reviewer=reviewer,
                    reason="The linked material does not show this work yet; send the "
                    "drawings or photos and claim again.",
                )
                rejected_one = True
                counts["rejected"] += 1
            else:
                points = max(1, claim.proposed_points * ADJUSTMENTS[n % len(ADJUSTMENTS)] // 100)
                contribution_approve(contribution=claim, reviewer=reviewer, points=points)
                counts["approved"] += 1
        _spread_in_time(product, made)
    stdout.write(
        f"Contributions: {counts['approved']} approved, {counts['pending']} pending, "
        f"{counts['rejected']} rejected, {counts['endorsed']} endorsed by creators, "
        f"on {len(products)} products."
    )


def _claims_on(product: Product, index: int, helpers: list[User]) -> list[Contribution]:
    """Five to seven helpers' claims on a product (and, on the first, one by its creator)."""
    idea = product.idea
    creator = idea.creator
    title = idea.title
    n_claims = min(len(helpers), 5 + index % 3)
    made: list[Contribution] = []
    for n in range(n_claims):
        kind, text, proposed = CLAIMS[(index + n) % len(CLAIMS)]
        made.append(
            contribution_submit(
                product=product,
                member=helpers[n],
                kind=kind,
                description=text.format(title=title),
                proposed_points=proposed,
                evidence_url=f"https://example.org/ahhha-demo/{product.pk}/{kind}-{n + 1}",
            )
        )
    if index == 0:  # the creator drew the first product's look themselves
        made.append(
            contribution_submit(
                product=product,
                member=creator,
                kind="design",
                description=f"Drew the original look of {title} and the logo.",
                proposed_points=100,
            )
        )
    return made


def _spread_in_time(product: Product, claims: list[Contribution]) -> None:
    """Demo only: if the funding demo dated the product in the past, date the claims and their
    decisions in the weeks after it (so settlement periods see believable weights)."""
    start = product.created_at
    now = timezone.now()
    if start is None or now - start < timedelta(days=2):
        return
    span = now - start
    for n, claim in enumerate(claims):
        created = start + span * (n + 1) / (len(claims) + 2)
        fields = {"created_at": created}
        if claim.status != ContributionStatus.PENDING:
            fields["decided_at"] = created + min(timedelta(days=3), (now - created) / 2)
        if claim.endorsed_at:
            fields["endorsed_at"] = created + min(timedelta(days=1), (now - created) / 3)
        Contribution.objects.filter(pk=claim.pk).update(**fields)
