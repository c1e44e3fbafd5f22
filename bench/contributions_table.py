"""How the contribution reads scale: weights, the public table, the product API and page.

The settlement of a 100,000-contributor product calls ``contribution_weights`` once; the product
page and ``/api/v1/products/{id}/`` compute the public table. This script builds such a product
in a throw-away test database (``test_<your database>``, dropped at the end) and times them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ahhha_d \
        .venv/bin/python bench/contributions_table.py
    .venv/bin/python -m config.embedded_db run \
        .venv/bin/python bench/contributions_table.py --contributors 20000   # embedded

Prints one line per measurement; nothing is asserted.
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributors", type=int, default=100_000)
    parser.add_argument("--claims-per-contributor", type=int, default=2)
    args = parser.parse_args()

    import django  # here, after DJANGO_SETTINGS_MODULE is set: the script configures Django itself

    django.setup()
    # Django's settings and the apps' models load only after django.setup().
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args.contributors, args.claims_per_contributor)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def timed(label: str, fn, rows: int | None = None):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    rate = f"  ({rows / elapsed:,.0f} rows/s)" if rows else ""
    print(f"{label:<52} {elapsed * 1000:10.1f} ms{rate}", flush=True)
    return result


def timed_page(label: str, client, url: str, repeat: int = 7):
    """A URL warmed up once (templates compiled, caches filled), then the median of ``repeat``
    requests: the steady state a visitor meets, not the first request after a deploy."""
    first = time.perf_counter()
    response = client.get(url)
    first = time.perf_counter() - first
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"{label:<52} {times[len(times) // 2] * 1000:10.1f} ms median "
          f"(first request {first * 1000:.1f} ms)", flush=True)  # fmt: skip
    assert response.status_code == 200, (url, response.status_code)
    return response


def run(n: int, per: int) -> None:
    # The apps' models load only after django.setup() (done in main()).
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from contributions.selectors import contribution_table, contribution_weights
    from funding.models import FundingRound, Product
    from ideas.models import Idea, IdeaStatus

    name = connection.settings_dict["NAME"]
    print(f"database: {name}; contributors: {n:,}; approved claims: {n * per:,}")
    creator = User.objects.create_user("bench-creator", "c@bench.local", "x")
    reviewer = User.objects.create_user("bench-reviewer", "r@bench.local", "x", is_staff=True)
    idea = Idea.objects.create(
        creator=creator, title="Bench product", summary="s", body="b", status=IdeaStatus.FUNDED
    )
    terms = FundingRound.objects.create(
        idea=idea,
        goal=100,
        currency="EUR",
        deadline=timezone.now(),
        platform_fee_bp=1500,
        points_per_unit=1,
    )
    product = Product.objects.create(idea=idea, funding_round=terms, amount_raised=100)

    timed("build (bulk insert users + claims)", lambda: _build(idea, reviewer, n, per))
    with connection.cursor() as cursor:  # fresh planner statistics after a 100k-row bulk load
        cursor.execute("ANALYZE")

    as_of = timezone.now().date()
    weights = timed(
        "contribution_weights(idea, as_of)", lambda: contribution_weights(idea=idea, as_of=as_of), n
    )
    assert len(weights) == n
    table = timed(
        "contribution_table(idea)  (points + shares)", lambda: contribution_table(idea=idea), n
    )
    assert len(table) == n
    from contributions.standings import standings_rebuild

    timed(
        "standings_rebuild(idea)  (the stored table, by the task)",
        lambda: standings_rebuild(idea_id=idea.pk),
        n,
    )
    client = Client()
    client.get("/healthz")  # warm up: URL conf, middleware, DRF settings
    response = timed_page(
        "GET /api/v1/products/{id}/  (summary + top rows)",
        client,
        f"/api/v1/products/{product.pk}/",
    )
    print(f"{'  response size':<52} {len(response.content) / 1e6:10.1f} MB")
    timed_page(
        "GET /api/v1/products/{id}/contributions/  (a page)",
        client,
        f"/api/v1/products/{product.pk}/contributions/",
    )
    timed_page("GET /products/{id}/  (page 1 of the table)", client, f"/products/{product.pk}/")
    timed_page(
        "GET /products/{id}/?page=5000  (a deep page)",
        client,
        f"/products/{product.pk}/?page={max(1, n // 200)}",
    )
    timed_page(
        "GET /api/v1/products/{id}/contributions/?page=5000  (a deep page)",
        client,
        f"/api/v1/products/{product.pk}/contributions/?page={max(1, n // 200)}",
    )
    timed_page("GET /api/v1/products/  (list with totals)", client, "/api/v1/products/", repeat=3)


def _build(idea, reviewer, n: int, per: int) -> None:
    """n members with ``per`` approved claims each, by bulk insert."""
    # The apps' models load only after django.setup() (done in main()).
    from accounts.models import User
    from contributions.models import Contribution, ContributionStatus

    users = [
        User(username=f"m{i}", email=f"m{i}@bench.local", password="!", display_name=f"M{i}")
        for i in range(n)
    ]
    User.objects.bulk_create(users, batch_size=5000)
    ids = list(User.objects.filter(username__startswith="m").values_list("pk", flat=True))
    decided = datetime(2026, 6, 1, 12, tzinfo=UTC)
    rows = [
        Contribution(
            idea=idea,
            member_id=member_id,
            kind="design",
            description="bench",
            proposed_points=1 + (k + member_id) % 97,
            points=1 + (k + member_id) % 97,
            status=ContributionStatus.APPROVED,
            decided_by=reviewer,
            decided_at=decided,
        )
        for member_id in ids
        for k in range(per)
    ]
    Contribution.objects.bulk_create(rows, batch_size=5000)


if __name__ == "__main__":
    main()
