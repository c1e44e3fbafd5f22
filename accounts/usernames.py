"""Usernames and display names that cannot pass for someone else.

* ``normalise(name)``: NFKC, as Django's login form does ("ａｄｍｉｎ" → "admin"), so what is
  stored is what people type to sign in.
* ``skeleton(name)``: what a name looks like: NFKC, look-alikes mapped to the Latin letters
  they imitate (Cyrillic, Greek, Armenian, Lisu and Cherokee letters, Latin small capitals and
  IPA letters), case folded, accents dropped, "rn" read as "m" and "vv" as "w". "аdmin"
  (Cyrillic а), "ADMIN", "ａｄｍｉｎ", "ádmin", "ᴀdmin", "ꓮdmin" and "adrnin" all have the
  skeleton "admin". The map covers the letters drawn the same in common fonts (a subset of
  Unicode TR39's confusables.txt: no maintained package is installed); digits are not mapped
  to letters ("adm1n" is a different name).
* ``imitates_staff(name)``: a word of the name is one of the reserved staff words.
"""

import re
import unicodedata

_LOOKALIKES = str.maketrans(
    {
        # Cyrillic capitals and small letters drawn like Latin ones.
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "Х": "X", "У": "Y", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q",
        "Ԝ": "W", "Ү": "Y", "Ӏ": "I",
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s",
        "і": "i", "ј": "j", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y",
        "к": "k", "м": "m", "н": "h", "т": "t", "в": "b", "ɡ": "g", "ı": "i",
        # Greek capitals and small letters drawn like Latin ones.
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
        "α": "a", "ο": "o", "ρ": "p", "ι": "i", "κ": "k", "ν": "v", "τ": "t", "υ": "u",
        "χ": "x", "ε": "e", "ϲ": "c", "ϳ": "j",
        # Latin look-alikes of Latin letters (IPA, small capitals), after Unicode TR39's
        # confusables.txt: "ɑlice", "ᴀdmin".
        "ɑ": "a", "ɒ": "a", "ɩ": "i", "ɪ": "i", "ʟ": "l", "ɭ": "l", "ɾ": "r", "ʀ": "r",
        "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ɢ": "g", "ʜ": "h", "ᴊ": "j",
        "ᴋ": "k", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u",
        "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ƅ": "b", "ɗ": "d", "ʋ": "u", "ỿ": "y",
        # Lisu capitals ("ꓮdmin") and Cherokee letters drawn like Latin capitals.
        "ꓮ": "A", "ꓐ": "B", "ꓚ": "C", "ꓓ": "D", "ꓰ": "E", "ꓝ": "F", "ꓖ": "G", "ꓧ": "H",
        "ꓲ": "I", "ꓙ": "J", "ꓗ": "K", "ꓡ": "L", "ꓟ": "M", "ꓠ": "N", "ꓳ": "O", "ꓑ": "P",
        "ꓣ": "R", "ꓢ": "S", "ꓔ": "T", "ꓴ": "U", "ꓦ": "V", "ꓪ": "W", "ꓫ": "X", "ꓬ": "Y",
        "ꓜ": "Z",
        "Ꭺ": "A", "Ᏼ": "B", "Ꮯ": "C", "Ꭰ": "D", "Ꭼ": "E", "Ꮐ": "G", "Ꮋ": "H", "Ꭻ": "J",
        "Ꮶ": "K", "Ꮮ": "L", "Ꮇ": "M", "Ꮲ": "P", "Ꮪ": "S", "Ꮤ": "T", "Ꮩ": "V", "Ꮃ": "W",
        "Ꮓ": "Z",
        # Armenian small letters drawn like Latin ones.
        "օ": "o", "ս": "u", "հ": "h", "ո": "n", "զ": "q", "ց": "g",
    }
)  # fmt: skip
# Letter pairs drawn like one letter, folded after the single letters: "adrnin" → "admin".
_LOOKALIKE_PAIRS = (("rn", "m"), ("vv", "w"))

STAFF_WORDS = frozenset(
    {"admin", "administrator", "finance", "reviewer", "staff", "support", "ahhha", "moderator"}
)


def normalise(name: str) -> str:
    return unicodedata.normalize("NFKC", name)


def skeleton(name: str) -> str:
    mapped = unicodedata.normalize("NFKC", name).translate(_LOOKALIKES).casefold()
    decomposed = unicodedata.normalize("NFD", mapped).translate(_LOOKALIKES)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    for pair, letter in _LOOKALIKE_PAIRS:
        folded = folded.replace(pair, letter)
    return folded


def imitates_staff(name: str) -> bool:
    """ "Admin", "ａｄｍｉｎ", "Support team", "finance_2", "АHHHA" → True; "badminton" → False."""
    words = re.split(r"[\W\d_]+", skeleton(name))
    return any(word in STAFF_WORDS for word in words) or skeleton(name) in STAFF_WORDS
