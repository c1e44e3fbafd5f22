"""Cover images: checked by content, re-encoded without metadata, resized for srcset."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.errors import ValidationFailed
from ideas.services import idea_create, idea_update
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def image_upload(size=(2000, 1500), kind="PNG", name="cover.png", exif=None) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 80, 30))
    extra = {"exif": exif} if exif is not None else {}
    image.save(out, kind, **extra)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{kind.lower()}")


def _texts(**extra):
    return {"title": "Solar kettle", "summary": "Boils water.", "body": "It works.", **extra}


def _opened(field) -> Image.Image:
    field.open("rb")
    try:
        return Image.open(io.BytesIO(field.read()))
    finally:
        field.close()


def test_a_cover_is_resized_to_three_16_by_9_jpegs(creator):
    idea = idea_create(creator=creator, **_texts(), cover=image_upload())
    sizes = [
        (_opened(f).format, _opened(f).size)
        for f in (idea.cover_400, idea.cover_800, idea.cover_1600)
    ]
    assert sizes == [("JPEG", (400, 225)), ("JPEG", (800, 450)), ("JPEG", (1600, 900))]
    assert [w for _, w in idea.covers] == [400, 800, 1600]
    assert idea.cover_srcset.count("w, ") == 2 and idea.cover_srcset.endswith("1600w")
    assert idea.cover_400.name.startswith("covers/") and "cover.png" not in idea.cover_400.name


def test_a_small_cover_is_not_enlarged(creator):
    idea = idea_create(creator=creator, **_texts(), cover=image_upload(size=(640, 480)))
    assert [w for _, w in idea.covers] == [400, 640]
    assert _opened(idea.cover_800).size == (640, 360)
    assert not idea.cover_1600


def test_the_phones_gps_position_does_not_survive(creator):
    exif = Image.Exif()
    exif[0x8825] = {2: (48.0, 51.0, 24.0)}  # GPSInfo: latitude
    exif[0x010F] = "PhoneMaker"
    idea = idea_create(
        creator=creator, **_texts(), cover=image_upload(kind="JPEG", name="p.jpg", exif=exif)
    )
    for field in (idea.cover_400, idea.cover_800):
        assert dict(_opened(field).getexif()) == {}


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.png", b"<script>alert(1)</script>", "image/png"), "not an image"),
        (SimpleUploadedFile("x.png", b"GIF89a" + b"\x00" * 400, "image/png"), "not an image"),
        (image_upload(kind="GIF", name="anim.gif"), "not an image"),
        (image_upload(size=(150, 900)), "too small"),
        (image_upload(size=(9000, 5000)), "too many pixels"),
    ],
    ids=["text", "broken", "gif", "tiny", "huge"],
)
def test_what_is_not_a_usable_image_is_refused_with_what_to_upload(creator, upload, message):
    with pytest.raises(ValidationFailed) as refused:
        idea_create(creator=creator, **_texts(), cover=upload)
    assert message in refused.value.fields["cover"][0]


def test_a_new_cover_replaces_the_old_and_one_can_remove_it(
    creator, django_capture_on_commit_callbacks
):
    idea = idea_create(creator=creator, **_texts(), cover=image_upload())
    old = idea.cover_400.name
    storage = idea.cover_400.storage
    with django_capture_on_commit_callbacks(execute=True):
        idea = idea_update(idea=idea, actor=creator, cover=image_upload(size=(1200, 800)))
    assert idea.cover_400.name != old and not storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        idea = idea_update(idea=idea, actor=creator, remove_cover=True)
    assert idea.covers == [] and not idea.cover_400


def test_cards_and_the_idea_page_serve_the_cover_with_srcset(client, creator):
    from ideas.services import idea_publish

    idea = idea_create(creator=creator, **_texts(), cover=image_upload())
    idea_publish(idea=idea, actor=creator)
    home = client.get("/?tab=new").content.decode()
    assert 'class="card-cover"' in home and f"{idea.cover_800.url} 800w" in home
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert 'class="idea-cover"' in page and f'src="{idea.cover_800.url}"' in page
    assert client.get(idea.cover_400.url).status_code == 200
    api = client.get(f"/api/v1/ideas/{idea.pk}/").json()
    assert [c["width"] for c in api["cover"]] == [400, 800, 1600]


def test_the_form_uploads_a_cover_and_keeps_the_texts_when_it_is_refused(client, creator):
    client.login(username=creator.username, password=PASSWORD)
    bad = client.post(
        "/ideas/new/",
        {**_texts(), "cover": SimpleUploadedFile("x.png", b"nope", "image/png")},
    )
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "This file is not an image we can use" in html and "Solar kettle" in html
    good = client.post("/ideas/new/", {**_texts(), "cover": image_upload()})
    assert good.status_code == 302
    from ideas.models import Idea

    assert [w for _, w in Idea.objects.get().covers] == [400, 800, 1600]


def test_the_first_cards_cover_loads_at_once_and_the_others_when_scrolled_to(client, creator):
    from ideas.services import idea_publish

    for title in ("Solar kettle", "Folding ladder", "Quiet bell"):
        idea = idea_create(creator=creator, **_texts(title=title), cover=image_upload())
        idea_publish(idea=idea, actor=creator)
    covers = re.findall(r'<img class="card-cover"[^>]*>', client.get("/?tab=new").content.decode())
    assert len(covers) == 3
    assert 'fetchpriority="high"' in covers[0] and 'loading="lazy"' not in covers[0]
    assert all('loading="lazy"' in c and "fetchpriority" not in c for c in covers[1:])


def test_covers_come_in_smaller_formats_with_the_jpeg_as_fallback(client, creator):
    from core.images import MODERN_FORMATS
    from ideas.services import idea_publish

    assert [ext for _f, ext, _o in MODERN_FORMATS][-1] == "webp"  # AVIF too where Pillow has it
    idea = idea_create(creator=creator, **_texts(), cover=image_upload())
    idea_publish(idea=idea, actor=creator)
    home = client.get("/?tab=new").content.decode()
    picture = re.search(r"<picture>.*?</picture>", home, re.S).group()
    for _fmt, ext, _options in MODERN_FORMATS:
        source = re.search(rf'<source type="image/{ext}" srcset="([^"]+)"', picture)
        urls = [part.split()[0] for part in source.group(1).split(", ")]
        assert len(urls) == 3 and all(url.endswith(f".{ext}") for url in urls)
        served = client.get(urls[0])
        assert served.status_code == 200
        assert Image.open(io.BytesIO(b"".join(served.streaming_content))).format == _fmt
    assert picture.index("<source") < picture.index('<img class="card-cover"')
    assert f'src="{idea.cover_400.url}"' in picture  # browsers without them take the JPEG


def test_removing_a_cover_removes_its_other_formats(creator, django_capture_on_commit_callbacks):
    idea = idea_create(creator=creator, **_texts(), cover=image_upload())
    storage, names = idea.cover_400.storage, [idea.cover_400.name]
    from ideas.models import cover_sibling

    names += [cover_sibling(names[0], ext) for ext in idea.cover_formats.split()]
    assert len(names) >= 2 and all(storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        idea_update(idea=idea, actor=creator, remove_cover=True)
    assert not any(storage.exists(n) for n in names)
