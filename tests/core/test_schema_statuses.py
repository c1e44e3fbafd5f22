"""Statuses the API answers are the statuses its OpenAPI document lists (schemathesis's
``status_code_conformance``, run without the repository's configuration)."""

import pytest

pytestmark = pytest.mark.django_db


def operations(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield method, path, operation


def test_an_expired_or_revoked_token_is_a_documented_401_even_where_anonymous_may_read(client):
    # A caller whose token expired (or was revoked) gets a 401 on every operation, also on the
    # ones open to anonymous callers: DRF checks credentials that are sent.
    for path in ("/api/v1/categories/", "/api/v1/ideas/", "/api/v1/products/"):
        response = client.get(path, HTTP_AUTHORIZATION="Token " + "0" * 40)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "authentication_failed"
    undocumented = [
        f"{method.upper()} {path}"
        for method, path, operation in operations(client)
        if "401" not in operation["responses"]
    ]
    # The one exception reads no credentials at all (the public settlement report).
    assert undocumented == ["GET /api/v1/settlements/{settlement_id}/report.json"]
    report = client.get("/api/v1/settlements/999999/report.json", HTTP_AUTHORIZATION="Token x")
    assert report.status_code == 404
