"""Usernames and display names that cannot pass for someone else.

* ``normalise(name)``: NFKC, as Django's login form does ("ａｄｍｉｎ" → "admin"), so what is
  stored is what people type to sign in.
* ``skeleton(name)``: what a name looks like: NFKC, Cyrillic and Greek look-alikes mapped to the
  Latin letters they imitate, case folded, accents dropped. "аdmin" (Cyrillic а), "ADMIN",
  "ａｄｍｉｎ" and "ádmin" all have the skeleton "admin". The map covers the letters that are
  drawn the same in common fonts (a subset of Unicode's confusables.txt for these two scripts);
  digits are not mapped to letters ("adm1n" is a different name).
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
    }
)  # fmt: skip

STAFF_WORDS = frozenset(
    {"admin", "administrator", "finance", "reviewer", "staff", "support", "ahhha", "moderator"}
)


def normalise(name: str) -> str:
    return unicodedata.normalize("NFKC", name)


def skeleton(name: str) -> str:
    mapped = unicodedata.normalize("NFKC", name).translate(_LOOKALIKES).casefold()
    decomposed = unicodedata.normalize("NFD", mapped).translate(_LOOKALIKES)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def imitates_staff(name: str) -> bool:
    """ "Admin", "ａｄｍｉｎ", "Support team", "finance_2", "АHHHA" → True; "badminton" → False."""
    words = re.split(r"[\W\d_]+", skeleton(name))
    return any(word in STAFF_WORDS for word in words) or skeleton(name) in STAFF_WORDS
