"""gunicorn settings for the web container (read by ``gunicorn -c``)."""

import multiprocessing
import os

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
# Only these peers may set X-Forwarded-Proto / X-Forwarded-For for gunicorn: our own reverse
# proxy. Never "*": any client could then claim https or another address. Django reads the
# client address itself through TRUSTED_PROXY_COUNT (core.net.client_ip).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
