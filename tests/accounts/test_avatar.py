"""A member's picture: uploaded in the settings, checked and re-encoded, shown on the profile."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def picture(size=(500, 300), kind="PNG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(out, kind)
    return SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png")


def _size(field) -> tuple[int, int]:
    field.open("rb")
    try:
        return Image.open(io.BytesIO(field.read())).size
    finally:
        field.close()


def _settings(**extra) -> dict:
    return {"display_name": "Mo", "time_zone": "", "language": "", **extra}


def test_a_member_uploads_a_square_picture_shown_on_their_profile(client):
    mo = make_user("mo")
    client.force_login(mo)
    response = client.post("/accounts/settings/", _settings(avatar=picture()))
    assert response.status_code == 302
    mo.refresh_from_db()
    assert _size(mo.avatar_96) == (96, 96) and _size(mo.avatar_192) == (192, 192)
    profile = client.get("/members/mo/").content.decode()
    assert f'src="{mo.avatar_96.url}"' in profile and f"{mo.avatar_192.url} 2x" in profile


def test_a_small_picture_is_not_enlarged_and_a_tiny_one_is_refused(client):
    mo = make_user("mo")
    client.force_login(mo)
    client.post("/accounts/settings/", _settings(avatar=picture(size=(80, 80))))
    mo.refresh_from_db()
    assert _size(mo.avatar_96) == (80, 80) and not mo.avatar_192
    assert 'src="' in client.get("/members/mo/").content.decode()  # no 2x, still a picture
    refused = client.post(
        "/accounts/settings/", _settings(display_name="Mo 2", avatar=picture(size=(40, 40)))
    )
    assert refused.status_code == 400
    assert "The image is too small" in refused.content.decode()
    mo.refresh_from_db()
    assert mo.display_name == "Mo" and _size(mo.avatar_96) == (80, 80)  # nothing changed


def test_a_file_that_is_not_a_picture_is_refused_and_the_picture_can_be_removed(
    client, django_capture_on_commit_callbacks
):
    mo = make_user("mo")
    client.force_login(mo)
    fake = SimpleUploadedFile("me.png", b"<svg onload=alert(1)>", content_type="image/png")
    refused = client.post("/accounts/settings/", _settings(avatar=fake))
    assert "This file is not an image we can use" in refused.content.decode()
    client.post("/accounts/settings/", _settings(avatar=picture()))
    mo.refresh_from_db()
    stored, storage = mo.avatar_96.name, mo.avatar_96.storage
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/settings/", _settings(remove_avatar="on"))
    mo.refresh_from_db()
    assert not mo.avatar_96 and not storage.exists(stored)
    assert 'class="avatar" aria-hidden="true">M<' in client.get("/members/mo/").content.decode()
