"""The API's reference (/api/docs/) and its schema (/api/schema/) speak the reader's language:
the operations' own descriptions, parameters, fields and answers too, not only the words
around them."""

import re

import pytest

from tests.crawl import han_words, latin_words, shown

pytestmark = pytest.mark.django_db

ZH = "zh-Hans,zh;q=0.9"
HAN = re.compile(r"[\u4e00-\u9fff]")
CODE = re.compile(r"`[^`]*`")
METHODS = ("get", "post", "put", "patch", "delete")
PLEDGES = "/api/v1/ideas/{idea_id}/pledges/"
# The answer every signed-in operation lists, and one operation's own description.
NOT_SIGNED_IN = {
    "en": "Not signed in, or the credentials sent are not valid",
    ZH: "未登录，或发送的凭据无效",
}
YOUR_PLEDGE = {
    "en": "Your pledge on an idea: GET it, POST a new one, PATCH its amount, DELETE to cancel.",
    ZH: "你对创意的认筹：GET 查看，POST 新建，PATCH 修改金额，DELETE 取消。",
}


def _schema(client, language: str) -> dict:
    response = client.get("/api/schema/?format=json", headers={"accept-language": language})
    assert response.status_code == 200
    return response.json()


def _texts(node) -> list[str]:
    """Every description and summary in a schema."""
    if isinstance(node, list):
        return [text for value in node for text in _texts(value)]
    if not isinstance(node, dict):
        return []
    own = [
        v for k, v in node.items() if k in ("description", "summary") and isinstance(v, str) and v
    ]
    return own + [text for value in node.values() for text in _texts(value)]


def test_the_reference_in_chinese_says_the_operations_and_their_answers_in_chinese(client):
    page = client.get("/api/docs/", headers={"accept-language": ZH}).content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert '<html lang="zh-hans"' in page and 'lang="en"' not in main
    assert NOT_SIGNED_IN[ZH] in page and YOUR_PLEDGE[ZH] in page
    assert NOT_SIGNED_IN["en"] not in page and YOUR_PLEDGE["en"] not in page
    # Headers and field names stay code, in the Chinese sentence.
    assert "请发送 <code>Authorization: Token &lt;key&gt;</code>" in page


def test_the_reference_in_english_has_no_chinese(client):
    client.get("/api/docs/", headers={"accept-language": ZH})  # Chinese made first, kept apart
    page = client.get("/api/docs/", headers={"accept-language": "en"}).content.decode()
    assert NOT_SIGNED_IN["en"] in page and YOUR_PLEDGE["en"] in page
    assert han_words(shown(page), "") == []


@pytest.mark.parametrize("language", ["en", ZH])
def test_the_schema_follows_accept_language(client, language):
    operation = _schema(client, language)["paths"][PLEDGES]["get"]
    assert operation["description"] == YOUR_PLEDGE[language]
    assert operation["responses"]["401"]["description"].startswith(NOT_SIGNED_IN[language])
    texts = _texts(_schema(client, language))
    if language == "en":
        assert [text for text in texts if HAN.search(text)] == []
    else:  # but for code (in backticks) and names (IBAN, Alipay, HTML…)
        assert [text for text in texts if latin_words(CODE.sub(" ", text), set())] == []


def test_the_schema_says_nothing_a_docstring_says(client):
    """Docstrings are for developers (reST's ``double backticks`` give them away); what the
    schema says is marked for translation. A choice whose label is its value is not listed."""
    texts = _texts(_schema(client, "en"))
    assert [text for text in texts if "``" in text] == []
    assert not any("* `hot` - hot" in text for text in texts)
    assert any("* `design` - Design" in text for text in texts)  # labelled choices stay


@pytest.mark.parametrize("language", ["en", ZH])
def test_every_operation_says_what_it_does_in_the_readers_language(client, language):
    paths = _schema(client, language)["paths"]
    descriptions = {
        f"{method.upper()} {path}": operation.get("description", "").strip()
        for path, item in paths.items()
        for method, operation in item.items()
        if method in METHODS
    }
    assert [name for name, text in descriptions.items() if not text] == []
    if language == ZH:  # translated, not the English left in place
        assert [name for name, text in descriptions.items() if not HAN.search(text)] == []
    # What the reader sees: each operation's section opens with its description.
    page = client.get("/api/docs/", headers={"accept-language": language}).content.decode()
    sections = page.split('class="panel api-operation"')[1:]
    assert len(sections) == len(descriptions)
    assert [s.split("</h2>", 1)[0] for s in sections if '<p class="pre-line">' not in s] == []
