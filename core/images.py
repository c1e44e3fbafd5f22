"""Uploaded pictures (ideas' covers, members' avatars): checked by their bytes, re-encoded,
resized for ``srcset``.

An upload is opened with Pillow (never trusted by its name or its declared type), must be a
JPEG, PNG or WebP of sensible dimensions, and is turned into JPEGs cropped to the caller's
aspect at the caller's widths (smaller originals are not enlarged past their width).
Re-encoding drops whatever else the file carried (EXIF with a phone's GPS position, scripts,
trailing data). Covers: 16:9 at 400/800/1600 px (``cover_process``); avatars: square at 96/192.
"""

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError, features

from core.errors import ValidationFailed

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
COVER_WIDTHS = (400, 800, 1600)
COVER_ASPECT = (16, 9)
AVATAR_WIDTHS = (96, 192)
MIN_SIDE = 200
AVATAR_MIN_SIDE = 64
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; anything larger is refused before decoding
JPEG_QUALITY = 82
# Smaller encodings of the covers, for browsers that take them (<picture> sources; the JPEG is
# the fallback): AVIF when this Pillow can write it, and WebP.
MODERN_FORMATS = [
    (fmt, ext, options)
    for fmt, ext, options, codec in [
        ("AVIF", "avif", {"quality": 60, "speed": 8}, "avif"),
        ("WEBP", "webp", {"quality": 80, "method": 4}, "webp"),
    ]
    if features.check(codec)
]


@dataclass
class Resized:
    """The resized pictures by size slot (say 400, 800, 1600), narrowest first; ``width`` is
    the widest one's real width (less than its slot when the original was narrower)."""

    slots: dict[int, ContentFile]
    width: int
    # The same pictures in MODERN_FORMATS: extension → slot → file (covers only).
    modern: dict[str, dict[int, ContentFile]] | None = None


def cover_process(upload) -> Resized:
    """An idea's cover from ``upload``; ValidationFailed (on "cover") saying what to upload."""
    return image_process(
        upload,
        field="cover",
        widths=COVER_WIDTHS,
        aspect=COVER_ASPECT,
        min_side=MIN_SIDE,
        max_bytes=settings.COVER_MAX_UPLOAD_BYTES,
        modern=True,
    )


def avatar_process(upload) -> Resized:
    """A member's avatar (square) from ``upload``; ValidationFailed on "avatar"."""
    return image_process(
        upload,
        field="avatar",
        widths=AVATAR_WIDTHS,
        aspect=(1, 1),
        min_side=AVATAR_MIN_SIDE,
        max_bytes=settings.COVER_MAX_UPLOAD_BYTES,
    )


def image_process(
    upload, *, field: str, widths: tuple[int, ...], aspect: tuple[int, int], min_side: int,
    max_bytes: int, modern: bool = False,
) -> Resized:  # fmt: skip
    """JPEGs of ``upload`` cropped to ``aspect`` at ``widths``; ValidationFailed on ``field``
    saying what to upload instead."""

    def _refuse(message: str) -> ValidationFailed:
        return ValidationFailed(message, fields={field: [message]})

    limit = max_bytes
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
    if min(width, height) < min_side:
        raise _refuse(
            gettext("The image is too small: upload one at least %(side)s pixels on each side.")
            % {"side": min_side}
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        raise _refuse(not_an_image) from None
    cropped = ImageOps.fit(image, _crop_size(image.size, aspect), method=Image.Resampling.LANCZOS)
    slots: dict[int, ContentFile] = {}
    others: dict[str, dict[int, ContentFile]] = {ext: {} for _f, ext, _o in MODERN_FORMATS}
    for target in widths:
        w = min(target, cropped.width)
        h = round(w * aspect[1] / aspect[0])
        resized = cropped.resize((w, h), Image.Resampling.LANCZOS)
        # Nothing of the upload's metadata goes out: Pillow writes a JPEG comment (COM), an
        # ICC profile or EXIF it finds in ``info`` (issue 26: the COM segment survived).
        resized.info = {}
        out = io.BytesIO()
        resized.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        slots[target] = ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
        for ext, content in _modern(resized).items() if modern else ():
            others[ext][target] = content
        if w < target:
            break  # never enlarged: this is the widest
    return Resized(slots=slots, width=w, modern=others if modern else None)


def _modern(picture: Image.Image) -> dict[str, ContentFile]:
    """``picture`` in each of MODERN_FORMATS, by extension."""
    found = {}
    for fmt, ext, options in MODERN_FORMATS:
        out = io.BytesIO()
        picture.save(out, fmt, **options)
        found[ext] = ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}")
    return found


def _crop_size(size: tuple[int, int], aspect: tuple[int, int]) -> tuple[int, int]:
    """The largest box of ``aspect`` inside ``size``."""
    width, height = size
    if width * aspect[1] >= height * aspect[0]:
        return round(height * aspect[0] / aspect[1]), height
    return width, round(width * aspect[1] / aspect[0])
