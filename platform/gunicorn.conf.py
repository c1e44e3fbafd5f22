"""gunicorn settings for the web container (read by ``gunicorn -c``)."""

import multiprocessing
import os

from gunicorn.http import wsgi as _wsgi

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Exports stream for a long time; a worker recycles after this many requests to bound memory.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"


def _without_server_header(default_headers):
    """gunicorn writes ``Server: gunicorn`` on every HTTP/1 response and (up to 27.x at least)
    has no setting for it; this config file runs in the master before workers fork, so wrapping
    ``Response.default_headers`` here drops the line for every worker."""

    def headers(self):
        return [line for line in default_headers(self) if not line.lower().startswith("server:")]

    return headers


_wsgi.Response.default_headers = _without_server_header(_wsgi.Response.default_headers)

# Only these peers may set X-Forwarded-Proto / X-Forwarded-For for gunicorn: our own reverse
# proxy. Never "*": any client could then claim https or another address. Django reads the
# client address itself through TRUSTED_PROXY_COUNT (core.net.client_ip).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


# Prometheus (docs/operations.md): with PROMETHEUS_MULTIPROC_DIR set, every worker writes its
# counts there and /metrics on any worker answers for them all. The master empties the
# directory once at start (counters restart from zero, as after any restart) and marks a
# worker that exits as dead.
def on_starting(server):
    from core.observability.metrics import clear_multiproc_dir

    clear_multiproc_dir(os.environ.get("PROMETHEUS_MULTIPROC_DIR", ""))


def child_exit(server, worker):
    from core.observability.metrics import mark_process_dead

    mark_process_dead(worker.pid)
