"""E-mail headers cannot be broken by what members type (issue 26): a line break in a payout
destination or a display name no longer suppresses the mail that quotes it."""

import pytest
from django.core import mail

from accounts.models import User
from core.mail import header_line
from payouts import destinations
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def _one_line(subject: str) -> bool:
    return not any(ch in subject for ch in "\r\n\x00\u2028\u2029")


@pytest.mark.parametrize("text", ["\nBcc: x@evil.example", "Bank\r\nof X", "a\u2028b"])
def test_a_line_break_in_an_other_destination_does_not_suppress_the_changed_mail(
    make_user, text, django_capture_on_commit_callbacks
):
    member = make_user("lin")
    with django_capture_on_commit_callbacks(execute=True):
        destinations.destination_set(
            member=member, actor=member, kind="other", text=text, holder="Lin Wei"
        )
    sent = [m for m in mail.outbox if m.to == ["lin@example.org"]]
    assert len(sent) == 1
    assert _one_line(sent[0].subject)
    assert "payout destination" in sent[0].body


def test_display_names_with_control_characters_are_refused_at_sign_up_and_in_settings(
    client, make_user
):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "nina",
            "email": "nina@example.org",
            "password": PASSWORD,
            "display_name": "Nina\nBcc: all",
        },
    )
    assert "display name" in response.content.decode()
    assert not User.objects.filter(username="nina").exists()
    member = make_user("omar")
    client.force_login(member)
    for name in ["Omar\r\nX", "Om\u202ear", "Omar\x07"]:
        response = client.post("/accounts/settings/", {"display_name": name})
        assert response.status_code in (200, 400)
        member.refresh_from_db()
        assert member.display_name == ""


def test_header_line_makes_any_value_one_bounded_line():
    assert header_line("a\r\nb\tc\x00d\u2028e") == "a b c d e"
    long = header_line("x" * 1000)
    assert len(long) == 150 and long.endswith("…")
    assert header_line("Hello 世界") == "Hello 世界"
