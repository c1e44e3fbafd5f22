import pytest

pytestmark = pytest.mark.django_db


def _error(response):
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "fields"}
    assert body["error"]["status"] == response.status_code
    return body["error"]


def test_bad_input_is_400_with_the_fields_named(api_client):
    response = api_client.post("/api/v1/auth/register/", {"username": "x"}, format="json")
    assert response.status_code == 400
    error = _error(response)
    assert set(error["fields"]) == {"email", "password"}


def test_malformed_json_is_400_not_500(api_client):
    response = api_client.post(
        "/api/v1/auth/register/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in _error(response)["message"]


def test_unknown_api_route_is_404_json(api_client):
    response = api_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_wrong_method_is_405_json(api_client):
    response = api_client.get("/api/v1/auth/token/")
    assert response.status_code == 405
    _error(response)


def test_rate_limited_requests_get_429_with_retry_after(api_client, settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], auth_ip="2/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    for _ in range(2):
        api_client.post("/api/v1/auth/token/", {"username": "a", "password": "b"})
    response = api_client.post("/api/v1/auth/token/", {"username": "a", "password": "b"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    _error(response)


def test_openapi_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/auth/register/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/api/v1/auth/register/" in html and "<script" not in html.split("</header>")[1]
    assert "cdn" not in html.lower()
    assert "//unpkg" not in html and "jsdelivr" not in html
