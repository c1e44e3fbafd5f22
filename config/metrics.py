"""GET /metrics: the Prometheus scrape of one gunicorn node (core.observability.metrics) plus
what is read at scrape time: the Celery queue's depth in Redis and the settlement jobs'
progress. 404 while METRICS_TOKEN is unset, 401 without its bearer token."""

import logging

import redis
from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client.core import GaugeMetricFamily

from core.observability import metrics
from payouts import observability as settlement_jobs

log = logging.getLogger(__name__)
# kombu's Redis transport keeps a queue's messages of priority p under "<queue>\x06\x16<p>".
_PRIORITY_SUFFIXES = ["", *(f"\x06\x16{p}" for p in range(1, 10))]


def queue_depths() -> dict[str, int]:
    """Messages waiting in the Celery queue, and taken by a worker but not acknowledged."""
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        with client.pipeline(transaction=False) as pipe:
            for suffix in _PRIORITY_SUFFIXES:
                pipe.llen(queue + suffix)
            pipe.hlen("unacked")
            *waiting, unacked = pipe.execute()
        return {"waiting": sum(waiting), "unacked": unacked}
    finally:
        client.close()


class StateCollector:
    """Facts read when scraped, the same from every node: Grafana takes their max."""

    def collect(self):
        yield from self._queue()
        yield from self._settlements()

    def _queue(self):
        if not settings.REDIS_URL:  # tasks run in-process: there is no queue
            return
        try:
            depths = queue_depths()
        except redis.RedisError as error:
            log.warning("metrics: the Celery queue could not be read", extra={"error": str(error)})
            return
        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        waiting = GaugeMetricFamily(
            "ahhha_celery_queue_length", "Tasks waiting in the Celery queue.", labels=["queue"]
        )
        waiting.add_metric([queue], depths["waiting"])
        unacked = GaugeMetricFamily(
            "ahhha_celery_unacked_messages",
            "Tasks a worker has taken and not yet acknowledged (running, or lost with a worker).",
        )
        unacked.add_metric([], depths["unacked"])
        yield from (waiting, unacked)

    def _settlements(self):
        by_status = GaugeMetricFamily(
            "ahhha_settlements", "Settlements in each state.", labels=["status"]
        )
        for status, count in settlement_jobs.settlement_counts().items():
            by_status.add_metric([status], count)
        progress = GaugeMetricFamily(
            "ahhha_settlement_progress_percent",
            "Progress of each queued or running settlement job (0-100).",
            labels=["settlement", "status", "product", "period"],
        )
        for job in settlement_jobs.settlements_in_flight():
            labels = [str(job["id"]), job["status"], str(job["product_id"]), str(job["period_id"])]
            progress.add_metric(labels, job["progress"])
        yield from (by_status, progress)


@never_cache
@require_GET
def metrics_view(request):
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    if not metrics.authorised(request.headers.get("Authorization"), token):
        response = HttpResponse("unauthorised\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics.exposition(StateCollector()), content_type=metrics.CONTENT_TYPE)
