"""The API keeps the promises of its OpenAPI document: schemathesis with every check, as an
anonymous caller, a member and finance staff, against the demo data served by gunicorn
(`manage.py api_fuzz`; `make schemathesis` runs the same with more examples)."""

import io

import pytest
from django.core.management import call_command


# The longest test by far (minutes): in a group of several tests, which `--dist loadgroup` hands
# out before the single ones, it starts first and runs beside the rest instead of after them.
@pytest.mark.xdist_group("seed_demo")
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_nothing_for_any_role(monkeypatch):
    # One gunicorn worker: schemathesis sends one request at a time, and each worker loads the
    # whole site at start (the default is two per core, five here, for nothing).
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    try:
        call_command("api_fuzz", max_examples=3, stdout=out)
    except SystemExit:
        pytest.fail(out.getvalue())
    lines = out.getvalue().splitlines()
    # One run for anonymous callers; two for each signed-in role (the token revocation alone,
    # last: manage.py api_fuzz).
    assert [line.split()[:3] for line in lines[:5]] == [
        ["anonymous", "exit", "0:"],
        ["member", "exit", "0:"],
        ["member", "exit", "0:"],
        ["finance", "exit", "0:"],
        ["finance", "exit", "0:"],
    ], out.getvalue()
