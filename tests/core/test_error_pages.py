"""Error pages look like the site and say what to do next; the icon and description are there."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

from core.views import server_error


def test_a_missing_page_is_the_sites_own_page_with_a_way_back(client, db):
    response = client.get("/ideas/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and 'class="brand"' in page and 'href="/search/"' in page


def test_a_page_the_member_may_not_open_is_a_styled_403(client, make_user):
    client.force_login(make_user("mia"))
    response = client.get("/finance/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Not allowed" in page and 'class="brand"' in page


def test_the_403_page_offers_signing_in_to_a_visitor(db):
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    page = defaults.permission_denied(request, PermissionDenied()).content.decode()
    assert "Sign in and try again." in page and "/accounts/login/?next=/somewhere/" in page


def test_a_server_error_is_a_styled_page_in_the_visitors_language():
    with translation.override("zh-hans"):
        page = server_error(RequestFactory().get("/")).content.decode()
    assert "出错了" in page and "site.css" in page


def test_every_page_has_an_icon_and_a_description(client, db):
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    assert '<meta name="description" content="AHHHA turns ideas into products' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and "favicon" in response["Location"]


def test_the_demo_in_debug_mode_shows_the_sites_404_not_the_list_of_urls(client, db, settings):
    settings.DEBUG = True
    for url in ("/no-such-page/", "/ideas/999999/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hans")
        page = response.content.decode()
        assert response.status_code == 404
        assert 'class="brand"' in page and "URLconf" not in page and "admin/" not in page
        assert '<html lang="zh-hans"' in page


def test_the_apis_404_in_debug_mode_stays_json(client, db, settings):
    settings.DEBUG = True
    response = client.get("/api/v1/ideas/999999/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
