"""Cover images: checked by their bytes, re-encoded, and resized for ``srcset``.

An upload is opened with Pillow (never trusted by its name or its declared type), must be a
JPEG, PNG or WebP of sensible dimensions, and is turned into three JPEGs cropped to 16:9 — 400,
800 and 1600 px wide (smaller originals are not enlarged past their width). Re-encoding drops
whatever else the file carried (EXIF with a phone's GPS position, scripts, trailing data).
"""

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import ValidationFailed

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
WIDTHS = (400, 800, 1600)
ASPECT = (16, 9)
MIN_SIDE = 200
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; anything larger is refused before decoding
JPEG_QUALITY = 82


@dataclass
class CoverImages:
    """The resized covers by size slot (400, 800, 1600), narrowest first; ``width`` is the
    widest one's real width (less than its slot when the original was narrower)."""

    slots: dict[int, ContentFile]
    width: int


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"cover": [message]})


def cover_process(upload) -> CoverImages:
    """The covers made from ``upload``; ValidationFailed (on "cover") saying what to upload."""
    limit = settings.COVER_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise _refuse(
            gettext("The image is larger than %(limit_mb)s MB: upload a smaller one.")
            % {"limit_mb": limit // (1024 * 1024)}
        )
    not_an_image = gettext("This file is not an image we can use: upload a JPEG, PNG or WebP.")
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()  # structure and checksums, without decoding the pixels
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(not_an_image) from None
    if kind not in ACCEPTED_FORMATS:
        raise _refuse(not_an_image)
    if width * height > MAX_PIXELS:
        raise _refuse(
            gettext("The image has too many pixels: upload one of at most 40 megapixels.")
        )
    if min(width, height) < MIN_SIDE:
        raise _refuse(
            gettext("The image is too small: upload one at least %(side)s pixels on each side.")
            % {"side": MIN_SIDE}
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        raise _refuse(not_an_image) from None
    cropped = ImageOps.fit(image, _crop_size(image.size), method=Image.Resampling.LANCZOS)
    slots: dict[int, ContentFile] = {}
    for target in WIDTHS:
        w = min(target, cropped.width)
        h = round(w * ASPECT[1] / ASPECT[0])
        resized = cropped.resize((w, h), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        resized.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        slots[target] = ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
        if w < target:
            return CoverImages(slots=slots, width=w)  # never enlarged: this is the widest
    return CoverImages(slots=slots, width=WIDTHS[-1])


def _crop_size(size: tuple[int, int]) -> tuple[int, int]:
    """The largest 16:9 box inside ``size``."""
    width, height = size
    if width * ASPECT[1] >= height * ASPECT[0]:
        return round(height * ASPECT[0] / ASPECT[1]), height
    return width, round(width * ASPECT[1] / ASPECT[0])
