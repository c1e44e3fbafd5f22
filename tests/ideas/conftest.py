import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories

# The first bytes of real files: enough for detection by content.
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2048
WEBM_BYTES = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
    b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02" + b"\x00" * 2048
)
MOV_BYTES = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 2048


def video_upload(data: bytes = MP4_BYTES, name: str = "clip.mp4", content_type="video/mp4"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def creator(make_user):
    return make_user("carla")


@pytest.fixture
def member(make_user):
    return make_user("mo")


@pytest.fixture
def other_member(make_user):
    return make_user("nia")


@pytest.fixture
def reviewer(make_user):
    return make_user("rita", role="reviewer")


@pytest.fixture
def finance(make_user):
    return make_user("fiona", role="finance")


@pytest.fixture
def make_idea(creator):
    """make_idea(title=…, publish=True, by=…) → tests.factories.make_idea, by the creator."""

    def make(title: str = "A solar kettle", *, publish: bool = True, by=None, **fields):
        values = {
            "summary": "Boil water with sunlight on camping trips.",
            "body": "## Why\n\nBecause **gas** is heavy.",
            **fields,
        }
        return factories.make_idea(creator=by or creator, title=title, publish=publish, **values)

    return make


@pytest.fixture
def idea(make_idea):
    return make_idea()
