"""Serving uploaded media from the app itself, with HTTP range requests so videos can seek.

Used on the embedded default (``SERVE_MEDIA``); behind S3 or a CDN the storage's own URLs are
used instead. Folders in ``PRIVATE_MEDIA`` (contribution evidence) are never served here: their
app serves each file after asking who may see it, through ``serve_stored_file``.
"""

import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.views.decorators.http import require_safe

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 64 * 1024
# Upload folders whose files are served only by their app's own permission-checking view
# (contribution evidence; expense receipts, products.money).
PRIVATE_MEDIA = ("evidence/", "receipts/")


def _iter_file(handle, start: int, length: int):
    handle.seek(start)
    remaining = length
    try:
        while remaining > 0:
            chunk = handle.read(min(_CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def media_relative(path: str) -> str | None:
    """``path`` (as the URL gave it) normalised to a path inside MEDIA_ROOT, symlinks and dot
    segments resolved ("./evidence/x", "x/../evidence/x" → "evidence/x"); None when it leads
    outside MEDIA_ROOT or cannot name a file. Access rules look at this, never at the raw
    path: checked before normalising, dot segments walked past the private folders."""
    if "\x00" in path or "\\" in path:
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        full = (root / path.lstrip("/")).resolve()
        relative = full.relative_to(root)
    except (ValueError, OSError):
        return None
    return relative.as_posix() if relative.parts else None


def is_private_media(relative: str) -> bool:
    return any(
        relative == folder.rstrip("/") or relative.startswith(folder) for folder in PRIVATE_MEDIA
    )


@require_safe
def serve_media(request, path: str):
    relative = media_relative(path)
    if relative is None or is_private_media(relative):
        raise Http404("Not found")
    return _file_response(request, Path(settings.MEDIA_ROOT).resolve() / relative)


def serve_stored_file(request, field_file) -> HttpResponse:
    """A stored upload, for a view that has checked who may see it: from disk with ranges, or a
    redirect to the storage's (signed, expiring) URL behind S3."""
    if isinstance(field_file.storage, FileSystemStorage):
        response = _file_response(request, Path(field_file.path))
    else:
        response = HttpResponseRedirect(field_file.url)
    response["Cache-Control"] = "private, no-store"
    return response


def _file_response(request, full: Path) -> HttpResponse:
    if not full.is_file():
        raise Http404("Not found")
    size = full.stat().st_size
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    range_header = request.headers.get("Range", "")
    match = _RANGE.match(range_header.strip())
    if not match or (not match.group(1) and not match.group(2)):
        response = FileResponse(full.open("rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    first, last = match.groups()
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    else:  # suffix range: the last N bytes
        start = max(size - int(last), 0)
        end = size - 1
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    length = end - start + 1
    response = StreamingHttpResponse(
        _iter_file(full.open("rb"), start, length), status=206, content_type=content_type
    )
    response["Content-Length"] = str(length)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    return response
