import io

import pytest
from django.core.management import call_command

from funding.models import Product
from ideas.models import Idea, IdeaStatus
from payouts.models import Settlement
from tests.module_data import module_data

# One seeding (the demo takes most of a minute) serves both tests: they run on one xdist worker
# (with the schemathesis test, tests/core/test_api_schema.py, so that it starts early).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_demo")]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo's output on the empty test database, the demo kept for the module's tests
    (tests/module_data.py)."""

    def seed() -> str:
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        return out.getvalue()

    with module_data(django_db_blocker, tmp_path_factory, seed, after_commit=True) as text:
        yield text


def test_seed_demo_fills_an_empty_database_with_every_part_of_the_platform(seeded):
    text = seeded
    assert "Demo data is ready." in text
    # The accounts come last so they are what a person reads after `make demo`.
    assert text.rstrip().splitlines()[-1].endswith("Demo data is ready.")
    assert "reviewer" in text and "finance2" in text

    statuses = set(Idea.objects.values_list("status", flat=True))
    assert statuses >= {
        IdeaStatus.DRAFT, IdeaStatus.VOTING, IdeaStatus.REVIEW, IdeaStatus.FUNDING,
        IdeaStatus.FUNDED, IdeaStatus.REJECTED, IdeaStatus.EXPIRED, IdeaStatus.WITHDRAWN,
        IdeaStatus.FUNDING_FAILED,
    }  # fmt: skip
    assert Product.objects.count() >= 3
    assert Settlement.objects.filter(status="posted").exists()
    assert len(text.splitlines()) < 80  # a summary to read, not a log


def test_seed_demo_leaves_a_database_with_users_alone(seeded):
    ideas = Idea.objects.count()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "left it alone" in out.getvalue()
    assert Idea.objects.count() == ideas
