"""A funded idea's history (and the claims the platform wrote) reads in the reader's language,
amounts in their notation, for lines written now and for lines written as text before phrases
(core.phrases) and read back by the data migrations."""

import importlib
import re
from html import unescape

import pytest
from django.apps import apps
from django.utils import translation

from contributions.models import Contribution, ContributionKind
from funding.services import funding_round_close, pledge_create
from ideas.models import IdeaTransition
from tests.factories import idea_in_funding

pytestmark = pytest.mark.django_db

ideas_data = importlib.import_module("ideas.migrations.0015_phrases_data_hlang")
claims_data = importlib.import_module("contributions.migrations.0005_phrases_data_hlang")

CLOSED_ZH = "众筹轮次结束，已认筹 ¥4,200.50（目标 ¥3,000.00）：众筹成功。"
CLOSED_EN = "The round closed with €1,330.00 of €500.00 pledged: funded."


def funded(people, *, currency: str, goal: int, pledges: list[int]):
    idea = idea_in_funding(people.carla, people.rita, goal=goal, currency=currency)
    for member, amount in zip([people.alice, people.bob, people.chen], pledges, strict=False):
        pledge_create(idea=idea, member=member, amount=amount)
    funding_round_close(idea=idea, actor=people.rita)
    return idea


def history(client, idea, language: str) -> list[str]:
    page = client.get(idea.get_absolute_url(), headers={"accept-language": language})
    assert page.status_code == 200
    block = re.search(
        r'<details class="panel history">(.*?)</details>', page.content.decode(), re.S
    )
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", block[1], re.S)
    ]


def claims(idea, language: str) -> set[str]:
    with translation.override(language):
        return {
            c.description_text
            for c in Contribution.objects.filter(idea=idea, kind=ContributionKind.FUNDING)
        }


def assert_reads_in_each_language(client, cny, eur):
    zh = history(client, cny, "zh-Hans")
    assert any(line.endswith(CLOSED_ZH) for line in zh), zh
    en = history(client, eur, "en-IE")
    assert any(line.endswith(CLOSED_EN) for line in en), en
    assert not any(re.search(r"[\u4e00-\u9fff]", line) for line in en), en
    # The same line for a reader of the other language, in theirs.
    assert history(client, cny, "en")[-1].endswith(
        "The round closed with 4,200.50 CNY of 3,000.00 CNY pledged: funded."
    )
    assert history(client, eur, "zh-Hans")[-1].endswith(
        "众筹轮次结束，已认筹 1,330.00 EUR（目标 500.00 EUR）：众筹成功。"
    )
    assert claims(cny, "zh-hans") == {"已认筹 ¥2,100.25。"}
    assert claims(eur, "en") == {"Pledged 1,000.00 EUR.", "Pledged 330.00 EUR."}


def test_a_funded_idea_history_reads_in_the_readers_language(client, people):
    cny = funded(people, currency="CNY", goal=300_000, pledges=[210_025, 210_025])
    eur = funded(people, currency="EUR", goal=50_000, pledges=[100_000, 33_000])
    closing = IdeaTransition.objects.get(idea=cny, to_status="funded")
    # Stored as a code and numbers, in no language.
    assert (closing.reason, closing.reason_code) == ("", "round_funded")
    assert closing.reason_params == {
        "raised": {"money": [420_050, "CNY"]},
        "goal": {"money": [300_000, "CNY"]},
    }
    assert_reads_in_each_language(client, cny, eur)


def test_lines_written_as_text_before_phrases_read_in_each_language_after_the_migration(
    client, people
):
    cny = funded(people, currency="CNY", goal=300_000, pledges=[210_025, 210_025])
    eur = funded(people, currency="EUR", goal=50_000, pledges=[100_000, 33_000])
    # As they were written before: in the language of whoever acted, raw minor units.
    old = {
        (cny.pk, "review"): "已达到投票门槛（100 / 100 票）。",
        (cny.pk, "funded"): "众筹轮次结束，已认筹 420050 / 300000 CNY（最小货币单位）：众筹成功。",
        (eur.pk, "review"): "Reached the vote threshold (100 of 100 votes).",
        (eur.pk, "funded"): "The round closed with 133000 of 50000 EUR (minor units) pledged: "
        "funded.",
    }
    for (idea_id, to_status), text in old.items():
        IdeaTransition.objects.filter(idea_id=idea_id, to_status=to_status).update(
            reason=text, reason_code="", reason_params={}
        )
    for c in Contribution.objects.filter(kind=ContributionKind.FUNDING).select_related("pledge"):
        c.description = f"Pledged {c.pledge.amount} {c.pledge.currency} (minor units)"
        c.description_code, c.description_params = "", {}
        c.save()
    # Written by a person: no phrase, kept as written.
    IdeaTransition.objects.filter(idea=cny, to_status="funding").update(reason="好计划。")

    ideas_data.lines_to_phrases(apps, None)
    claims_data.claims_to_phrases(apps, None)

    assert_reads_in_each_language(client, cny, eur)
    assert history(client, cny, "zh-Hans")[1].endswith("已达到投票门槛（100 / 100 票）。")
    assert history(client, cny, "en")[1].endswith("Reached the vote threshold (100 of 100 votes).")
    assert history(client, eur, "zh-Hans")[1].endswith("已达到投票门槛（100 / 100 票）。")
    kept = IdeaTransition.objects.get(idea=cny, to_status="funding")
    assert (kept.reason, kept.reason_code, kept.reason_text) == ("好计划。", "", "好计划。")
    assert not Contribution.objects.filter(kind=ContributionKind.FUNDING).exclude(description="")


def test_a_line_of_no_known_shape_keeps_its_text():
    assert ideas_data.read_line("The round closed early, see the forum.") is None
    assert ideas_data.read_line("Now in_production.") == (
        "product_stage",
        {"stage": {"choice": "ideas.IdeaTransition.to_status", "value": "in_production"}},
    )
    assert claims_data.read_description("Pledged a lot") is None
