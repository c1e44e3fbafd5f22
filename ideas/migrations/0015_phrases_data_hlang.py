"""The history lines and moderation notes the platform wrote as text (in the language of whoever
acted, amounts in raw minor units) become phrase codes with parameters (core.phrases), said in
each reader's language. The known shapes, English and Chinese, are read back; a line that fits
none keeps its text, which is shown as it is."""

import re

from django.db import migrations

# (code, the English and the Chinese text as they were written). %(x)s: a whole number, except
# %(nxt)s (a state's code) and %(currency)s (three letters).
LINES = [
    ("idea_published", "Published by the creator.", "由创作者发布。"),
    ("idea_withdrawn", "Withdrawn by the creator.", "由创作者撤回。"),
    (
        "threshold_reached",
        "Reached the vote threshold (%(count)s of %(threshold)s votes).",
        "已达到投票门槛（%(count)s / %(threshold)s 票）。",
    ),
    (
        "threshold_reached_at_close",
        "Reached the vote threshold (%(vote_count)s votes).",
        "已达到投票门槛（%(vote_count)s 票）。",
    ),
    (
        "voting_window_ended",
        "The voting window ended with %(vote_count)s of %(vote_threshold)s votes.",
        "投票期结束，获得 %(vote_count)s / %(vote_threshold)s 票。",
    ),
    (
        "round_funded",
        "The round closed with %(raised)s of %(funding_goal)s %(currency)s (minor units) "
        "pledged: funded.",
        "众筹轮次结束，已认筹 %(raised)s / %(funding_goal)s %(currency)s（最小货币单位）：众筹成功。",
    ),
    (
        "round_failed",
        "The round closed with %(raised)s of %(funding_goal)s %(currency)s (minor units) "
        "pledged: below the goal, pledges released.",
        "众筹轮次结束，已认筹 %(raised)s / %(funding_goal)s %(currency)s（最小货币单位）："
        "未达目标，认筹已释放。",
    ),
    ("product_stage", "Now %(nxt)s.", "进入下一阶段：%(nxt)s。"),
]
MODERATION = [
    ("flags_dismissed", "Flags dismissed: the content may stay.", "已驳回举报：内容可以保留。"),
]
_GROUPS = {"nxt": r"(?P<nxt>in_production|launched)", "currency": r"(?P<currency>[A-Z]{3})"}


def _pattern(text: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(_GROUPS.get(part, rf"(?P<{part}>-?\d+)"))
        else:
            out.append(re.escape(part))
    return re.compile("".join(out) + r"\Z")


def _params(code: str, found: dict) -> dict:
    if code in ("round_funded", "round_failed"):
        currency = found["currency"]
        return {
            "raised": {"money": [int(found["raised"]), currency]},
            "goal": {"money": [int(found["funding_goal"]), currency]},
        }
    if code == "product_stage":
        return {"stage": {"choice": "ideas.IdeaTransition.to_status", "value": found["nxt"]}}
    return {key: int(value) for key, value in found.items()}


def read_line(text: str, shapes=LINES) -> tuple[str, dict] | None:
    """An old line's (code, params), or None when it is not one the platform wrote."""
    text = (text or "").strip()
    for code, *texts in shapes:
        for shape in texts:
            match = _pattern(shape).match(text)
            if match:
                return code, _params(code, match.groupdict())
    return None


def _convert(model, shapes) -> None:
    for row in model.objects.filter(reason_code="").exclude(reason="").iterator():
        found = read_line(row.reason, shapes)
        if found:
            row.reason_code, row.reason_params = found
            row.reason = ""
            row.save(update_fields=["reason", "reason_code", "reason_params"])


def lines_to_phrases(apps, schema_editor) -> None:
    _convert(apps.get_model("ideas", "IdeaTransition"), LINES)
    _convert(apps.get_model("ideas", "ModerationEvent"), MODERATION)


class Migration(migrations.Migration):
    dependencies = [("ideas", "0014_phrases_hlang")]

    operations = [migrations.RunPython(lines_to_phrases, migrations.RunPython.noop)]
