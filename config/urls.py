from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView

from accounts.languages import set_language
from accounts.urls import auth_urlpatterns
from config.metrics import metrics_view
from core import apidocs
from core.media import serve_media
from core.views import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The reference, rendered on the server from the schema (core.apidocs: no Swagger UI).
    path("api/docs/", apidocs.api_docs, name="api-docs"),
    path("", include("voting.urls")),
    path("", include("funding.urls")),
    path("", include("contributions.urls")),
    path("", include("payouts.urls")),
    path("", include("products.urls")),
    path("", include("sales.urls")),
    path("", include("payments.urls")),
    path("", include("community.urls")),
    path("", include("ideas.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.+)$", serve_media, name="media"))

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
