"""Seeing it: the metrics endpoint's guard and content, the request id, JSON logs, Sentry."""

import io
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import sentry_sdk
import structlog
from prometheus_client.parser import text_string_to_metric_families

from core.observability import logs
from core.observability import sentry as observability_sentry
from tests.factories import make_idea

TOKEN = "scrape-token-0123456789abcdef0123456789"


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client) -> dict[tuple[str, tuple], float]:
    answer = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(answer.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_not_there_while_no_token_is_configured(client, settings, db):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer"],
)
def test_metrics_refuse_a_scrape_without_the_token(client, metrics_token, db, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    answer = client.get("/metrics", **headers)
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"ahhha_" not in answer.content


def test_metrics_count_requests_by_route_name_with_latency_and_queries(
    client, metrics_token, make_user
):
    idea = make_idea(creator=make_user("creator"))
    before = scrape(client)
    for _ in range(3):
        assert client.get(f"/ideas/{idea.pk}/").status_code == 200
    assert client.get("/ideas/999999/").status_code == 404
    assert client.get("/no/such/page/").status_code == 404
    after = scrape(client)

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    detail = {"method": "GET", "route": "ideas:detail"}
    assert grew("ahhha_http_requests_total", **detail, status="200") == 3
    assert grew("ahhha_http_requests_total", **detail, status="404") == 1
    assert grew("ahhha_http_requests_total", method="GET", route="<unresolved>", status="404") == 1
    assert grew("ahhha_http_request_duration_seconds_count", **detail) == 4
    assert grew("ahhha_http_request_duration_seconds_bucket", **detail, le="+Inf") == 4
    assert grew("ahhha_http_request_duration_seconds_sum", **detail) > 0
    # An idea page reads the idea, its thread, its votes: each request ran some statements.
    assert grew("ahhha_http_db_queries_count", route="ideas:detail") == 4
    assert grew("ahhha_http_db_queries_sum", route="ideas:detail") >= 4
    # One series per view: no path, no id in a route.
    routes = {v for (name, labels) in after if name.startswith("ahhha_http") for k, v in labels
              if k == "route"}  # fmt: skip
    assert {"ideas:detail", "<unresolved>", "metrics"} <= routes
    assert not [route for route in routes if "/" in route or any(c.isdigit() for c in route)]


def test_metrics_report_settlements_by_state(client, metrics_token, db):
    samples = scrape(client)
    for status in ("queued", "running", "preview", "posted", "failed"):
        assert ("ahhha_settlements", (("status", status),)) in samples


def test_a_request_id_is_kept_when_given_and_made_when_not(client, db):
    given = client.get("/healthz", HTTP_X_REQUEST_ID="lb-4f1c2a9e77")
    assert given["X-Request-ID"] == "lb-4f1c2a9e77"
    made = client.get("/healthz")
    other = client.get("/healthz")
    assert len(made["X-Request-ID"]) == 32
    assert made["X-Request-ID"] != other["X-Request-ID"]
    # Something that could forge a log line is never echoed.
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x" injected\n{"level":"info"}')
    assert "injected" not in forged["X-Request-ID"]


def test_json_logs_carry_the_bound_request_id_and_extra_fields():
    config = logs.logging_config(log_format="json", level="INFO")
    formatter = structlog.stdlib.ProcessorFormatter(
        **{k: v for k, v in config["formatters"]["structured"].items() if k != "()"}
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger("tests.json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logs.bind(request_id="req-12345678")
        logger.info("vote cast", extra={"idea": 7})
        logs.unbind_all()
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["event"] == "vote cast"
    assert first["request_id"] == "req-12345678"
    assert first["idea"] == 7
    assert first["level"] == "info"
    assert first["logger"] == "tests.json"
    assert first["timestamp"].endswith("Z")
    assert "request_id" not in second
    assert "ValueError: boom" in second["exception"]


def test_sentry_stays_off_without_a_dsn():
    assert (
        observability_sentry.init(dsn="", environment="", release="", traces_sample_rate=0) is False
    )
    assert not sentry_sdk.get_client().is_active()


class _Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.headers.get("Content-Encoding") == "gzip":
            import gzip

            body = gzip.decompress(body)
        _Collector.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, format, *args):
        pass


def test_sentry_reports_an_error_with_the_request_id_when_a_dsn_is_set():
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Collector.received.clear()
    port = server.server_address[1]
    try:
        assert observability_sentry.init(
            dsn=f"http://publickey@127.0.0.1:{port}/42",
            environment="test",
            release="ahhha@test",
            traces_sample_rate=0,
        )
        with sentry_sdk.new_scope():
            sentry_sdk.set_tag("request_id", "req-abcdef12")
            sentry_sdk.capture_exception(RuntimeError("the ledger did not balance"))
        sentry_sdk.flush(timeout=10)
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
        server.shutdown()
    events = [json.loads(line) for body in _Collector.received for line in body.splitlines()]
    event = next(e for e in events if "exception" in e)
    assert event["tags"]["request_id"] == "req-abcdef12"
    assert event["environment"] == "test"
    assert event["exception"]["values"][0]["value"] == "the ledger did not balance"
    assert not sentry_sdk.get_client().is_active()


def test_a_short_metrics_token_is_a_deploy_warning(settings):
    from core.observability.checks import metrics_token_check

    settings.METRICS_TOKEN = "short"
    assert [w.id for w in metrics_token_check()] == ["core.W020"]
    settings.METRICS_TOKEN = TOKEN
    assert metrics_token_check() == []
    settings.METRICS_TOKEN = ""
    assert metrics_token_check() == []
