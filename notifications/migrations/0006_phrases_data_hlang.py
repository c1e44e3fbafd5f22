"""Notifications written as text (in the recipient's language of the day) become phrase codes
with parameters (core.phrases) when they fit a phrase whose parameters are plain words (a title,
a name, a count): in English or in the Chinese of the catalog. The others, and any text that
fits none, keep their text, which is shown as it is."""

import re

from django.db import migrations
from django.utils import translation

# The phrases (core.phrases) whose every parameter is a plain word, read back from their text.
PLAIN = [
    "update_posted",
    "followed_member_published",
    "idea_hidden_notice",
    "comment_hidden_notice",
    "idea_withdrawn_notice",
    "comment_reply_notice",
    "suggestion_made_notice",
    "comment_made_notice",
    "suggestion_accepted_notice",
    "review_requested_notice",
    "threshold_reached_notice",
    "voting_window_ended_notice",
    "approved_for_funding_notice",
    "not_approved_notice",
    "payment_refused_notice",
    "payment_lapsed_notice",
    "round_failed_backed_notice",
    "payout_held_back_notice",
    "payout_paid_notice",
    "payout_destination_changed_notice",
]


def _pattern(text: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", text)
    return re.compile(
        "".join(rf"(?P<{p}>.+?)" if i % 2 else re.escape(p) for i, p in enumerate(parts)) + r"\Z",
        re.S,
    )


def shapes() -> list[tuple[str, re.Pattern]]:
    from core.phrases import template_of

    found = []
    for code in PLAIN:
        template = template_of(code)
        if template is None:
            continue
        with translation.override("zh-hans"):
            chinese = translation.gettext(template)
        found += [(code, _pattern(template)), (code, _pattern(chinese))]
    return found


def notifications_to_phrases(apps, schema_editor) -> None:
    Notification = apps.get_model("notifications", "Notification")
    known = shapes()
    for row in Notification.objects.filter(code="").exclude(message="").iterator():
        for code, shape in known:
            match = shape.match(row.message)
            if match:
                row.code, row.params, row.message = code, match.groupdict(), ""
                row.save(update_fields=["code", "params", "message"])
                break


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_phrases_hlang")]

    operations = [migrations.RunPython(notifications_to_phrases, migrations.RunPython.noop)]
