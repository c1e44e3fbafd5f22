import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ValidationFailed
from ideas.video import video_detect, video_embed_url

from .conftest import MOV_BYTES, MP4_BYTES, WEBM_BYTES


@pytest.mark.parametrize(
    ("data", "mime"),
    [(MP4_BYTES, "video/mp4"), (WEBM_BYTES, "video/webm"), (MOV_BYTES, "video/quicktime")],
)
def test_videos_are_recognised_from_their_bytes_whatever_their_name(data, mime):
    upload = SimpleUploadedFile("holiday.txt", data, content_type="text/plain")
    assert video_detect(upload).mime == mime


def test_a_text_file_named_mp4_is_refused():
    upload = SimpleUploadedFile("clip.mp4", b"just some text, honestly" * 50, "video/mp4")
    with pytest.raises(ValidationFailed) as exc:
        video_detect(upload)
    assert "video_file" in exc.value.fields


def test_a_video_over_the_size_limit_is_refused(settings):
    settings.VIDEO_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationFailed) as exc:
        video_detect(SimpleUploadedFile("big.mp4", MP4_BYTES, "video/mp4"))
    assert "limit" in exc.value.fields["video_file"][0]


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=10", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)  # fmt: skip
def test_youtube_and_vimeo_links_become_privacy_friendly_embeds(url, embed):
    assert video_embed_url(url) == embed


@pytest.mark.parametrize(
    "url",
    [
        "https://dailymotion.com/video/x7",
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)",
        "https://www.youtube.com/watch?v=short",
        "not a url at all",
        "https://vimeo.com/channels/staff",
    ],
)
def test_links_from_other_sites_are_refused(url):
    with pytest.raises(ValidationFailed) as exc:
        video_embed_url(url)
    assert "video_url" in exc.value.fields
