"""platform/'s Prometheus scrape config and Grafana dashboard name what the code exports."""

import json
import re
from pathlib import Path

import yaml
from prometheus_client import REGISTRY

from config.metrics import StateCollector

PLATFORM = Path(__file__).resolve().parents[2] / "platform"
SUFFIXES = ("_bucket", "_count", "_sum", "_total")


def _families() -> set[str]:
    """The metric families this code exports: the process's and the scrape-time ones."""
    families = {family.name for family in REGISTRY.collect()}
    families |= {family.name for family in StateCollector().collect()}
    return {name for name in families if name.startswith("ahhha_")}


def test_the_dashboard_graphs_every_metric_exported_and_nothing_else(db, settings):
    settings.REDIS_URL = ""  # the queue's gauges need Redis: named below
    families = _families() | {"ahhha_celery_queue_length", "ahhha_celery_unacked_messages"}
    assert {"ahhha_http_requests", "ahhha_celery_tasks", "ahhha_settlements"} <= families
    dashboard = json.loads((PLATFORM / "grafana" / "ahhha-dashboard.json").read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    graphed = {name for expr in exprs for name in re.findall(r"\bahhha_[a-z_]+", expr)}
    for name in graphed:
        base = next((name[: -len(s)] for s in SUFFIXES if name.endswith(s)), name)
        assert base in families, f"the dashboard graphs {name}, which nothing exports"
    for family in families:
        assert any(g == family or g.startswith(family + "_") for g in graphed), (
            f"{family} is exported but on no panel of the dashboard"
        )


def test_the_scrape_config_scrapes_every_node_and_worker_with_the_token():
    config = yaml.safe_load((PLATFORM / "prometheus" / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) == {"ahhha-web", "ahhha-worker"}
    for job in jobs.values():
        assert job["metrics_path"] == "/metrics"
        assert job["authorization"] == {"type": "Bearer", "credentials_file": "metrics-token"}
    web = [t for c in jobs["ahhha-web"]["static_configs"] for t in c["targets"]]
    workers = [t for c in jobs["ahhha-worker"]["static_configs"] for t in c["targets"]]
    assert web == ["127.0.0.2:8101", "127.0.0.3:8101"]
    assert len(workers) == 2
