"""The production server configuration, started for real on a loopback port."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _headers_from(port: int):
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
                return answer.headers
        except urllib.error.HTTPError as refused:  # a 503 without Redis still has headers
            return refused.headers
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _serve(port: int, *config: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *config, "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--no-control-socket", "config.wsgi:application"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_gunicorn_with_the_platform_config_sends_no_server_header():
    port = _free_port()
    server = _serve(port, "-c", "platform/gunicorn.conf.py")
    try:
        headers = _headers_from(port)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert headers["Date"]  # gunicorn answered
    assert "Server" not in headers


def test_gunicorn_without_it_says_who_it_is():
    """The control: what the config file removes is really there otherwise."""
    port = _free_port()
    server = _serve(port)
    try:
        headers = _headers_from(port)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert headers["Server"].startswith("gunicorn")
