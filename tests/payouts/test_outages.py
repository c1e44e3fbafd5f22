"""Settling while the broker is down: 503, and no settlement left waiting for a message that
was never sent. Beat's safety net re-queues stale settlements exactly once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app as celery_app
from payouts import services
from payouts.models import LedgerTransaction, Settlement

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    saved = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_settling_while_the_broker_is_down_is_503_and_leaves_no_settlement(
    team, record, client_for, broker_down, django_capture_on_commit_callbacks
):
    period = record()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client_for(team.finance).post(f"/api/v1/periods/{period.pk}/settle/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["error"]["code"] == "service_unavailable"
    assert not Settlement.objects.filter(period=period).exists()
    assert queued == []


def test_approving_while_the_broker_is_down_is_503_and_leaves_it_unapproved(
    team, record, client_for, django_capture_on_commit_callbacks, request
):
    with django_capture_on_commit_callbacks(execute=True):
        settlement = services.period_settle(period=record(), actor=team.finance)
    request.getfixturevalue("broker_down")
    response = client_for(team.finance2).post(f"/api/v1/settlements/{settlement.pk}/approve/")
    assert response.status_code == 503
    settlement.refresh_from_db()
    assert settlement.status == "preview"
    assert settlement.approved_by is None


def test_beat_requeues_a_settlement_whose_worker_died_exactly_once(team, record, settings):
    settings.SETTLEMENT_STALE_SECONDS = 30
    settlement = services.period_settle(period=record(), actor=team.finance)
    Settlement.objects.filter(pk=settlement.pk).update(
        status="queued", created_at=timezone.now() - timedelta(minutes=1)
    )
    services.settlement_run(settlement_id=settlement.pk)  # a first preview, then "the worker died"
    dead = timezone.now() - timedelta(seconds=31)
    Settlement.objects.filter(pk=settlement.pk).update(
        status="running", run_token="dead-worker", heartbeat_at=dead
    )

    assert services.settlements_resume() == 1  # claimed and run again (in-process here)
    assert services.settlements_resume() == 0
    settlement.refresh_from_db()
    assert settlement.status == "preview"
    assert settlement.lines.count() == 4
    assert LedgerTransaction.objects.filter(settlement=settlement).count() == 1


def test_a_running_settlement_with_a_fresh_heartbeat_is_left_alone(team, record):
    settlement = services.period_settle(period=record(), actor=team.finance)
    Settlement.objects.filter(pk=settlement.pk).update(
        status="running", run_token="alive", heartbeat_at=timezone.now() - timedelta(seconds=5)
    )
    assert services.settlements_resume() == 0
    assert Settlement.objects.get(pk=settlement.pk).run_token == "alive"
