"""Upload limits per member (issue 26): a storage quota across their uploads, an upload rate,
a bound on a request's size and on its number of files; refused before the body is read."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.selectors import upload_bytes_of
from ideas.models import Idea
from tests.factories import make_idea
from tests.helpers import api_client_as

pytestmark = pytest.mark.django_db
IDEA = {"title": "A solar kettle", "summary": "Boils water with sunlight.", "body": "It works."}


def _upload(client, size: int, name: str = "clip.mp4", **extra):
    data = {**IDEA, "video": SimpleUploadedFile(name, b"\0" * size, content_type="video/mp4")}
    return client.post("/api/v1/ideas/", data, format="multipart", **extra)


def test_an_upload_past_the_members_quota_is_refused_before_it_is_read(make_user, settings):
    settings.UPLOAD_QUOTA_BYTES = 100_000
    member = make_user("mo")
    idea = make_idea(creator=member, title="Old draft", publish=False)
    Idea.objects.filter(pk=idea.pk).update(
        video_file=default_storage.save("videos/old.mp4", ContentFile(b"\0" * 80_000))
    )
    assert upload_bytes_of(member=member) == 80_000
    response = _upload(api_client_as(member), 40_000)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "quota_exceeded"
    assert "100 MB" not in response.json()["error"]["message"]
    assert Idea.objects.filter(creator=member).count() == 1


def test_the_quota_message_is_in_the_readers_language(make_user, settings):
    settings.UPLOAD_QUOTA_BYTES = 20_000
    response = _upload(api_client_as(make_user("mo")), 40_000, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 413
    assert "配额" in response.json()["error"]["message"]


def test_uploads_are_rate_limited_per_member(make_user, rates):
    rates("upload_user", "2/hour")
    client = api_client_as(make_user("mo"))
    codes = [_upload(client, 20_000, name=f"c{n}.mp4").status_code for n in range(3)]
    assert codes[2] == 429 and 429 not in codes[:2]


def test_a_body_larger_than_any_upload_is_refused_with_413(make_user, settings):
    settings.VIDEO_MAX_UPLOAD_BYTES = 10_000
    settings.COVER_MAX_UPLOAD_BYTES = settings.EVIDENCE_MAX_UPLOAD_BYTES = 10_000
    response = _upload(api_client_as(make_user("mo")), 2 * 1024 * 1024)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_a_request_with_too_many_files_is_refused(make_user):
    files = {f"f{n}": SimpleUploadedFile(f"f{n}.bin", b"x" * 10) for n in range(6)}
    response = api_client_as(make_user("mo")).post(
        "/api/v1/ideas/", {**IDEA, **files}, format="multipart"
    )
    assert response.status_code == 400
    assert not Idea.objects.exists()
