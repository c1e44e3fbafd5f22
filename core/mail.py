"""E-mail headers that cannot be broken by what members type (issue 26).

A subject is built from member text (a display name, a notification that quotes a payout
destination); a newline in it made Django refuse the whole message (``BadHeaderError``) and the
send failed quietly: the "payout destination changed" e-mail could be suppressed by whoever
chose the destination. Every send passes its subject through ``header_line``.
"""

import re
import unicodedata

SUBJECT_MAX = 150

_SPACES = re.compile(r"\s+")


def header_line(value, *, max_length: int = SUBJECT_MAX) -> str:
    """``value`` as one header line: control, format and line/paragraph separator characters
    (CR, LF, NUL, U+2028, bidi overrides…) become spaces, runs of spaces one space, and the
    result is at most ``max_length`` characters (ending in "…" when cut)."""
    text = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"} else ch
        for ch in str(value)
    )
    text = _SPACES.sub(" ", text).strip()
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def has_control_characters(value: str) -> bool:
    """Whether a name holds characters no name needs: controls, line breaks, bidi overrides."""
    return any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co"} for ch in value)
