import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings

from config.celery import app as celery_app
from funding.models import Product
from ideas.models import Idea, IdeaStatus
from payouts.models import Settlement

# One seeding (the demo takes most of a minute) serves both tests: they run on one xdist worker
# (with the schemathesis test, tests/core/test_api_schema.py, so that it starts early).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_demo")]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo's output on the empty test database (tasks in-process, pictures in a temporary
    media folder, as for every test). The demo stays in a transaction that the tests' own
    nest in (they roll back as ever), rolled back after the module: the database is as empty
    as before. seed_demo is one transaction itself; what it leaves for after its commit (the
    notifications' e-mails) runs at its end, as after a real commit."""
    out = io.StringIO()
    eager = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media:
        with transaction.atomic():
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", stdout=out)
            celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = eager
            with django_db_blocker.block():
                yield out.getvalue()
            transaction.set_rollback(True)


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
