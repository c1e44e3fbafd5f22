import io

from accounts import demo as accounts_demo
from accounts.models import User
from contributions import demo
from contributions.models import Contribution, ContributionStatus
from tests.factories import make_product


def test_the_demo_fills_every_product_with_believable_claims(db):
    accounts_demo.seed(io.StringIO())
    creator = User.objects.get(username="creator")
    backers = list(User.objects.filter(username__in=["alice", "bob"]))
    products = [
        make_product(creator=creator, pledges={b: 50_000 for b in backers}) for _ in range(3)
    ]
    out = io.StringIO()

    demo.seed(out)

    claims = Contribution.objects.exclude(kind="funding")
    statuses = set(claims.values_list("status", flat=True))
    assert statuses == {"approved", "pending", "rejected"}
    assert claims.filter(status=ContributionStatus.REJECTED).count() == 1
    assert claims.filter(endorsed_at__isnull=False).exists()
    assert set(claims.filter(status="approved").values_list("decided_by__username", flat=True)) == {
        "reviewer"
    }
    for product in products:
        assert claims.filter(idea=product.idea, status="approved").count() >= 3
    assert "approved" in out.getvalue()


def test_the_demo_without_products_does_nothing(db):
    out = io.StringIO()
    demo.seed(out)
    assert not Contribution.objects.exists()
    assert "skipped" in out.getvalue()
