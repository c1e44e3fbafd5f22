"""The Simplified Chinese translation is complete, in step with the code, and used everywhere."""

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from core.management.commands.compile_translations import catalog_files, unfinished
from funding.models import ReviewDecision
from ideas.models import Idea, IdeaTransition
from tests.factories import idea_in_funding, idea_in_voting, make_idea, make_product

ROOT = Path(settings.BASE_DIR)
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# "backer%(s)s": a placeholder glued to an English word is a |pluralize suffix; Chinese has no
# plural endings, so its translation may leave it out.
PLURAL_SUFFIX = re.compile(r"[A-Za-z]%\((\w+)\)s")


def test_there_is_a_chinese_catalog_for_python_templates_and_javascript():
    names = {(p.parent.parent.name, p.name) for p in catalog_files()}
    assert names == {("zh_Hans", "django.po"), ("zh_Hans", "djangojs.po")}


@pytest.mark.parametrize("po", catalog_files(), ids=lambda p: p.name)
def test_every_entry_is_translated_and_none_is_fuzzy(po):
    untranslated, fuzzy = unfinished(po)
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("po", catalog_files(), ids=lambda p: p.name)
def test_translations_keep_the_placeholders_they_are_filled_with(po):
    with po.open("rb") as handle:
        catalog = read_po(handle)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        msgstr = message.string[0] if isinstance(message.string, tuple) else message.string
        wanted = set(PLACEHOLDER.findall(msgid)) - set(PLURAL_SUFFIX.findall(msgid))
        have = set(PLACEHOLDER.findall(msgstr))
        if not wanted <= have or not have <= set(PLACEHOLDER.findall(msgid)):
            wrong.append(msgid)
    assert wrong == []


def test_the_catalog_holds_exactly_the_strings_the_code_marks(tmp_path):
    """makemessages over a copy of the sources finds no string missing from the catalog and
    none left over (GNU gettext's xgettext extracts; CI installs it)."""
    if not shutil.which("xgettext"):
        if os.environ.get("REQUIRE_BROWSER") == "1":  # CI: every test must run
            pytest.fail("xgettext is missing: apt-get install gettext")
        pytest.skip("xgettext (GNU gettext) is not installed: apt-get install gettext")
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        if name.endswith((".py", ".html", ".txt", ".js", ".po")) and (ROOT / name).exists():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, tmp_path / name)
    for domain in ("django", "djangojs"):
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-d", domain,
             "--no-obsolete", "-i", "bench/*", "-i", "tests/*"],
            cwd=tmp_path, check=True, capture_output=True, env={**os.environ, "DATABASE_URL": ""},
        )  # fmt: skip
        fresh = _msgids(tmp_path / "locale/zh_Hans/LC_MESSAGES" / f"{domain}.po")
        committed = _msgids(ROOT / "locale/zh_Hans/LC_MESSAGES" / f"{domain}.po")
        assert fresh - committed == set(), f"{domain}: marked in the code, not in the catalog"
        assert committed - fresh == set(), f"{domain}: in the catalog, no longer in the code"


def _msgids(po: Path) -> set:
    with po.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_django_reads_the_compiled_catalog():
    with translation.override("zh-hans"):
        assert translation.gettext("Sign in") == "登录"
        assert translation.ngettext("%(count)s minute", "%(count)s minutes", 5) == "%(count)s 分钟"


# --- Pages rendered in Chinese have no English sentence left ------------------------------------

# Words that stay as they are in Chinese text: the brand, formats and products named by name.
KEPT = {"AHHHA", "API", "UTC", "CSV", "XLSX", "Markdown", "JavaScript", "YouTube", "Vimeo", "MB"}
CODE = re.compile(r"[A-Z]{3}")  # currency codes
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,'’:-]+[A-Za-z]{2,})+")
SHOWN_ATTRIBUTES = re.compile(r'(?:placeholder|aria-label|title|alt|data-confirm)="([^"]*)"')


def english_left(page: str) -> list[str]:
    """Runs of two or more English words in the visible text and the attributes people read."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<select name="time_zone".*?</select>', " ", page, flags=re.S)  # zone names
    shown = " ".join(SHOWN_ATTRIBUTES.findall(page))
    text = html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + shown)
    found = []
    for run in ENGLISH_SENTENCE.findall(text):
        words = [
            w for w in re.findall(r"[A-Za-z]+", run) if w not in KEPT and not CODE.fullmatch(w)
        ]
        if len(words) >= 2:
            found.append(run)
    return found


@pytest.fixture
def chinese_site(make_user):
    """A small community whose own words are Chinese, so any English left is the site's."""
    people = {
        name: make_user(name, display_name=shown, language="zh-hans", **extra)
        for name, shown, extra in [
            ("lihua", "李华", {}),
            ("ming", "小明", {}),
            ("fang", "王芳", {"role": "reviewer"}),
            ("wei", "张伟", {"role": "finance"}),
        ]
    }
    voting = idea_in_voting(people["lihua"], title="太阳能水壶")
    funding = idea_in_funding(people["ming"], people["fang"], title="折叠自行车锁")
    make_idea(creator=people["lihua"], title="雨伞烘干架", publish=False)
    product = make_product(people["ming"], reviewer=people["fang"], title="共享充电宝归还提醒")
    Idea.objects.update(
        summary="用阳光烧水的折叠水壶",
        body="一个可以折叠的太阳能水壶。",
        body_html="<p>一个可以折叠的太阳能水壶。</p>",
    )
    IdeaTransition.objects.update(reason="达到门槛。")
    ReviewDecision.objects.update(reason="好计划。")
    return people, voting, funding, product


PAGES = {
    None: ["/", "/?tab=new", "/search/?q=太阳能", "/products/", "/accounts/login/",
           "/accounts/signup/", "/accounts/password-reset/"],
    "lihua": ["/me/ideas/", "/me/earnings/", "/accounts/settings/", "/notifications/",
              "/ideas/new/"],
    "fang": ["/review/", "/review/moderation/", "/review/contributions/"],
    "wei": ["/finance/"],
}  # fmt: skip


@pytest.mark.django_db
def test_the_main_pages_in_chinese_have_no_english_sentence_left(client, chinese_site):
    people, voting, funding, product = chinese_site
    pages = {who: list(urls) for who, urls in PAGES.items()}
    pages[None] += [
        voting.get_absolute_url(),
        funding.get_absolute_url(),
        f"/products/{product.pk}/",
    ]
    pages["lihua"] += [voting.get_absolute_url(), funding.get_absolute_url()]
    left = {}
    for who, urls in pages.items():
        client.logout()
        if who:
            client.force_login(people[who])
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hans,zh;q=0.9")
            assert response.status_code == 200, url
            assert '<html lang="zh-hans">' in response.content.decode()
            if found := english_left(response.content.decode()):
                left[f"{who or 'visitor'} {url}"] = found
    assert left == {}, "\n".join(f"{page}: {found}" for page, found in left.items())


def test_the_english_detector_finds_an_untranslated_sentence():
    assert english_left("<p>登录</p><p>Sign in to vote</p>") == ["Sign in to vote"]
    assert english_left('<input placeholder="Search words">') == ["Search words"]
    assert english_left("<p>用 Markdown 写</p><script>var a = 'not shown here';</script>") == []
