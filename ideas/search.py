"""Words for full-text search in languages written without spaces (Chinese).

PostgreSQL's parsers split text on spaces and punctuation, so ``太阳能水壶`` is one token and a
search for ``太阳能`` finds nothing. Here ``jieba`` segments every run of Chinese characters into
words, for the stored search document (``search_mode``: the words and the shorter dictionary
words inside long ones, so ``太阳能`` also yields ``太阳``) and for the query (the precise
words, so a query's words must all be in the document). Text without Chinese characters never
loads the dictionary (about a second and 50 MB, once per process).
"""

import re
from functools import cache

from django.utils.text import slugify

# CJK Unified Ideographs, Extension A, compatibility ideographs and Extensions B–F.
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")


@cache
def _tokenizer():
    import jieba

    jieba.setLogLevel(60)  # quiet: it prints its dictionary loading to stderr
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def document_words(text: str) -> str:
    """The words of the Chinese runs in ``text``, space-separated, for the search document
    ("一个可以折叠的太阳能水壶" → "一个 可以 折叠 的 太阳 太阳能 水壶"); "" when there are none."""
    runs = CJK.findall(text or "")
    if not runs:
        return ""
    tokenizer = _tokenizer()
    return " ".join(word for run in runs for word in tokenizer.cut_for_search(run))


def query_words(query: str) -> str:
    """The query with each Chinese run written as its words ("太阳能水壶" → "太阳能 水壶"), the
    rest (English words, quotes, ``-word``, ``or``) left as typed."""
    if not CJK.search(query or ""):
        return query
    tokenizer = _tokenizer()
    return CJK.sub(lambda run: " ".join(tokenizer.cut(run.group(), HMM=False)), query)


def idea_search_words(title: str, summary: str, body: str) -> str:
    """The stored document's Chinese words: title, summary and body, one line each, so the
    generated ``search_vector`` can weigh them A, B and C (``split_part`` by line)."""
    return "\n".join(document_words(part) for part in (title, summary, body))


def tag_slug(name: str) -> str:
    """A tag's key in any script: "Camping" → "camping", "太阳能" → "太阳能" (kept as written,
    never dropped); "" for a name of punctuation only."""
    return slugify(name, allow_unicode=True)[:40]
