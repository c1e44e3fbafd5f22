"""Settings for the vote benchmark only: the real settings plus a URLconf that also mounts the
bare comparison view. Never used in production (nothing else imports this module)."""

import os

from config.settings import *  # noqa: F403
from config.settings import REST_FRAMEWORK

ROOT_URLCONF = "bench.vote_urls"
# As behind a reverse proxy: the client's address comes from X-Forwarded-For, so the per-address
# throttle sees each simulated voter's own address (the load generator sends one per member).
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": 1}
TRUSTED_PROXY_COUNT = 1  # core.net.client_ip: the address the throttles count
# BENCH_VOTE_SYNC=1 measures votes that wait for the WAL flush (see voting/services/ballot.py).
VOTE_SYNCHRONOUS_COMMIT = os.environ.get("BENCH_VOTE_SYNC") == "1"
