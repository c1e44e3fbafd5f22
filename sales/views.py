"""Pages: verify.py for anyone; a product's profit and loss for its people; finance's sales
page (files with a progress bar, adjustments and their approval)."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from .verifier import verify_source


@require_GET
def verify_py(request):
    """The verifier anyone can download and run: ``python3 -I verify.py report.json``."""
    response = HttpResponse(verify_source(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verify.py"'
    return response
