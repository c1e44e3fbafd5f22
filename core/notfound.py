"""The site's own 404 page in debug mode too (``make demo`` runs with ``DEBUG=1``).

With ``DEBUG`` on, Django answers a missing page with its technical page, which lists every URL
pattern of the site: not what a visitor of the demo should read. This middleware puts the
site's page (``core.views.page_not_found``, handler404) in its place. Only that page is
replaced: a 404 a view answers itself (the API's JSON, a file) goes out as it is.
"""

from django.conf import settings

from core.views import page_not_found

# What only Django's technical 404 page says (django/views/templates/technical_404.html).
TECHNICAL_MARK = b"because you have <code>DEBUG = True</code>"


class SiteNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not response.streaming
            and TECHNICAL_MARK in response.content
        ):
            return page_not_found(request)
        return response
