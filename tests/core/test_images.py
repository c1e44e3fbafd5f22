"""Re-encoded images keep nothing of the upload but its pixels (issue 26: a JPEG comment
segment survived re-encoding)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.images import cover_process


def _jpeg_with_metadata() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (1200, 900), (200, 120, 40))
    profile = b"\x00" * 128
    image.save(out, "JPEG", comment=b"secret: home address", icc_profile=profile, quality=90)
    data = out.getvalue()
    assert b"secret: home address" in data
    return data


def test_the_jpeg_comment_and_metadata_do_not_survive_re_encoding():
    upload = SimpleUploadedFile("c.jpg", _jpeg_with_metadata(), content_type="image/jpeg")
    made = cover_process(upload)
    assert made.slots
    for content in made.slots.values():
        data = content.read()
        assert b"secret: home address" not in data
        assert b"\xff\xfe" not in data.split(b"\xff\xda")[0]  # no COM segment
        with Image.open(io.BytesIO(data)) as image:
            assert "comment" not in image.info and "icc_profile" not in image.info
            assert dict(image.getexif()) == {}
