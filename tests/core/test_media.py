"""Uploaded media: paths are normalised before any access rule (issue 26), so a private
folder (contribution evidence) is never reached through dot segments."""

from pathlib import Path

import pytest
from django.test import Client

PDF = b"%PDF-1.4 private evidence"


@pytest.fixture
def stored(settings):
    root = Path(settings.MEDIA_ROOT)
    (root / "evidence").mkdir(parents=True, exist_ok=True)
    (root / "evidence" / "claim.pdf").write_bytes(PDF)
    (root / "covers").mkdir(parents=True, exist_ok=True)
    (root / "covers" / "c.jpg").write_bytes(b"jpeg")
    return root


@pytest.mark.parametrize(
    "url",
    [
        "/media/evidence/claim.pdf",
        "/media/./evidence/claim.pdf",
        "/media/x/../evidence/claim.pdf",
        "/media/%2e/evidence/claim.pdf",
        "/media/covers/../evidence/claim.pdf",
        "/media/covers/%2e%2e/evidence/claim.pdf",
        "/media//evidence/claim.pdf",
        "/media/./evidence/",
        "/media/../media/evidence/claim.pdf",
    ],
)
def test_private_evidence_is_not_served_through_dot_segments(stored, url):
    response = Client().get(url)
    assert response.status_code == 404
    assert PDF not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_a_public_upload_is_served_and_a_path_outside_media_is_refused(stored):
    from core.media import media_relative

    assert Client().get("/media/covers/c.jpg").status_code == 200
    assert Client().get("/media/./covers/c.jpg").status_code == 200
    assert Client().get("/media/../../etc/passwd").status_code == 404
    assert media_relative("../../etc/passwd") is None
    assert media_relative("a/\x00b") is None
    assert media_relative("x/../evidence/claim.pdf") == "evidence/claim.pdf"
