"""Idea videos: uploads recognised from their bytes, and YouTube/Vimeo links made into embeds.

Uploads are checked by their first bytes (``filetype``), never by the name or the browser's
Content-Type, and stored under a random name through Django's storage API (so S3 works by
configuration). Links become privacy-friendly embeds: youtube-nocookie.com and Vimeo with
``dnt=1`` (no tracking cookies until the viewer presses play).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import filetype
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext

from core.errors import ValidationFailed

# MIME type → extension for the formats browsers play.
VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm", "video/quicktime": "mov"}
# filetype reports some MP4 flavours under other names; they are MP4 containers all the same.
_ALIASES = {"video/x-m4v": "video/mp4", "video/3gpp": "video/mp4", "video/x-matroska": None}

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


@dataclass(frozen=True)
class DetectedVideo:
    mime: str
    extension: str


def video_detect(upload) -> DetectedVideo:
    """The video type of an uploaded file, from its bytes; ValidationFailed if it is not one."""
    if upload.size is not None and upload.size > settings.VIDEO_MAX_UPLOAD_BYTES:
        raise _too_large()
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    mime = _ALIASES.get(mime, mime)
    if mime not in VIDEO_TYPES:
        raise ValidationFailed(
            gettext(
                "This file is not a video we can play: upload an MP4, WebM or "
                "QuickTime (.mov) file."
            ),
            fields={"video_file": [gettext("Not an MP4, WebM or QuickTime video.")]},
        )
    return DetectedVideo(mime=mime, extension=VIDEO_TYPES[mime])


def _too_large() -> ValidationFailed:
    limit_mb = settings.VIDEO_MAX_UPLOAD_BYTES // (1024 * 1024)
    message = gettext("The video is larger than the %(limit_mb)s MB limit.") % {
        "limit_mb": limit_mb
    }
    return ValidationFailed(message, fields={"video_file": [message]})


def video_embed_url(url: str) -> str:
    """The privacy-friendly embed URL of a YouTube or Vimeo link; ValidationFailed otherwise."""
    bad = ValidationFailed(
        gettext("Only YouTube and Vimeo links can be embedded."),
        fields={"video_url": [gettext("Use a YouTube or Vimeo link (or upload the video).")]},
    )
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        raise bad from None
    if parts.scheme not in ("http", "https"):
        raise bad
    host = (parts.hostname or "").lower()
    path = parts.path.rstrip("/")
    video_id = ""
    if host in _YOUTUBE_HOSTS:
        if path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif m := re.match(r"^/(?:embed|shorts|live|v)/([^/]+)$", path):
            video_id = m.group(1)
    elif host in ("youtu.be", "www.youtube-nocookie.com", "youtube-nocookie.com"):
        video_id = path.rsplit("/", 1)[-1]
    elif host in _VIMEO_HOSTS:
        m = re.match(r"^(?:/video)?/(\d{1,12})(?:/[0-9a-f]{6,20})?$", path)
        if m:
            return f"https://player.vimeo.com/video/{m.group(1)}?dnt=1"
        raise bad
    else:
        raise bad
    if not _YOUTUBE_ID.match(video_id):
        raise bad
    return f"https://www.youtube-nocookie.com/embed/{video_id}"


class VideoUploadLimitHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes the size limit, keeping the other fields.

    Put it first in ``request.upload_handlers`` before the body is read. The oversized file is
    skipped (its bytes are read and thrown away, never stored) and its field is noted in
    ``request.rejected_uploads`` so the view can say which field was too large.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.VIDEO_MAX_UPLOAD_BYTES
        if request is not None and not hasattr(request, "rejected_uploads"):
            request.rejected_uploads = {}

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)
        if content_length is not None and content_length > self.limit:
            self._reject()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self._reject()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _reject(self):
        if self.request is not None:
            self.request.rejected_uploads[self.field_name] = _too_large()
        raise SkipFile()


def install_upload_limit(request) -> None:
    """Call before anything reads the request body (CSRF included)."""
    request.upload_handlers.insert(0, VideoUploadLimitHandler(request))


def check_rejected_uploads(request) -> None:
    """Raise the error of an upload the limit handler refused, naming its field.

    Reads the body first (DRF parses lazily), so the handler has had its say.
    """
    getattr(request, "data", None)
    rejected = getattr(request, "rejected_uploads", None) or {}
    for field_name, error in rejected.items():
        message = error.message
        raise ValidationFailed(message, fields={field_name: [message]})
