"""Names as a SEPA bank file can carry them: the one function ``sepa_name``.

SEPA credit transfers carry text in the SEPA Latin character set only (EPC217-08: ``a-z A-Z 0-9
/ - ? : ( ) . , ' +`` and the space). A member's account holder name is kept as typed (an
Alipay real-name check needs 张伟, not Zhang Wei); the bank file gets its SEPA form:

* NFKC first (full-width letters, ligatures), then invisible characters (zero-width spaces,
  joiners, controls) and symbols with no letter in them (emoji, pictographs) are dropped;
* Chinese characters become pinyin without tones, the family name first: 张伟 → "Zhang Wei",
  李小龙 → "Li Xiaolong" (``pypinyin``); everything else is transliterated (``anyascii``):
  Müller → "Muller", Łukasz → "Lukasz", Дмитрий → "Dmitriy";
* ``&`` becomes ``+`` (EPC217-08's mapping); any other character outside the set (``= ! @ < >
  _ * "`` …) becomes a space;
* spaces are collapsed, ``//`` and a leading or trailing ``/`` removed (banks refuse them), the
  result cut at 70 characters (the field's length) and trimmed again: never padded.

When nothing with a letter or digit is left (a name of two emoji, of zero-width spaces), the
result is "", and the caller holds the payee back with a sentence naming them.
"""

import re
import unicodedata

from anyascii import anyascii

MAX_NAME = 70
SEPA_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")
_DROPPED_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "So", "Sk", "Mn", "Me")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def _pinyin(match: re.Match) -> str:
    """A run of Chinese characters as a name: the first syllable the family name, the rest the
    given name written as one word ("Zhang Wei", "Li Xiaolong"). pypinyin is imported here, at
    the first Chinese name: its dictionaries take seconds to load, and every process that
    imports the payouts (each web and worker process) would pay for them at start."""
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(match.group(0), errors="ignore")
    if not syllables:
        return " "
    family, given = syllables[0].capitalize(), "".join(syllables[1:]).capitalize()
    return f" {family} {given} " if given else f" {family} "


def _latin(char: str) -> str:
    if char in SEPA_CHARS:
        return char
    if char == "&":
        return "+"
    if unicodedata.category(char) in _DROPPED_CATEGORIES:
        return ""
    if char.isspace():
        return " "
    return "".join(c if c in SEPA_CHARS else " " for c in anyascii(char))


def sepa_name(text: str | None) -> str:
    """``text`` in the SEPA Latin character set, at most 70 characters, trimmed; "" when
    nothing of it can be carried."""
    normal = unicodedata.normalize("NFKC", text or "")
    normal = _HAN.sub(_pinyin, normal)
    latin = "".join(_latin(c) for c in normal)
    latin = re.sub(r"/{2,}", "/", latin)
    latin = " ".join(latin.split()).strip("/ ")
    latin = latin[:MAX_NAME].rstrip("/ ")
    return latin if any(c.isalnum() for c in latin) else ""
