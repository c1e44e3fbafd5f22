"""How fast the idea lists, the hot API and search answer with 10,000 ideas and 200,000 comments.

A third of the ideas are written in Chinese (title, summary and body), the rest in English, so
search is measured on mixed text: Chinese queries go through the segmented search document.

Builds the data once in its own database (``bench_ideas_<your database>``, kept between
runs; pass ``--fresh`` to rebuild it), then times each page through Django's test client, i.e.
the whole stack (middleware, session, template or serializer), and counts its SQL queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ahhha_a .venv/bin/python bench/ideas_lists.py
    .venv/bin/python -m config.embedded_db run \
        .venv/bin/python bench/ideas_lists.py --ideas 2000 --comments 40000   # embedded, smaller

Prints one line per URL: SQL queries (on page 1 and a deep page), median and p95 in ms.
Nothing is asserted; the targets are < 50 ms median for lists and the hot API, < 100 ms for
search, and a constant number of queries.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()  # the app modules below need the app registry: imported after it is ready

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from funding.models import FundingRound  # noqa: E402
from ideas.models import Category, Comment, Idea, Tag  # noqa: E402
from ideas.rendering import render_markdown  # noqa: E402

WORDS = (
    "solar kettle bike lock folding lamp garden sensor desk chair cargo trailer water bottle "
    "compost kids toolbox battery repair toothbrush reading light pet bowl cat dog fountain "
    "rain poncho wind turbine balcony spice rack fridge magnet backpack tent stove glass "
    "bamboo recycled modular charger usb wooden puzzle rabbit heater seat stadium winter "
    "camera bird feeder translator sign language laundry basket wheels tool belt hose reel "
    "window insulation film shoe dryer cedar knitting counter ring parking laser sleep mask"
).split()
ZH_WORDS = (
    "太阳能 水壶 折叠 露营 自行车 头盔 花园 传感器 书桌 椅子 儿童 工具箱 电池 维修 牙刷 阅读灯 "
    "宠物 雨衣 风力 阳台 香料架 冰箱 背包 帐篷 炉子 玻璃 竹子 回收 模块化 充电器 木制 拼图 "
    "加热器 座椅 冬季 相机 喂鸟器 翻译 手语 洗衣篮 轮子 软管 窗户 保温 鞋子 烘干 睡眠 眼罩"
).split()
ZH_AUDIENCES = ["适合露营", "适合儿童", "适合租客", "适合骑行", "适合宠物", "适合厨师"]
AUDIENCES = ["for campers", "for kids", "for renters", "for cyclists", "for pets", "for cooks",
             "for offices", "for gardeners", "for students", "for travellers"]  # fmt: skip
STATUSES = ["voting"] * 45 + ["review"] * 10 + ["funding"] * 8 + ["funded"] * 5 + [
    "expired"] * 15 + ["rejected"] * 7 + ["withdrawn"] * 5 + ["draft"] * 5  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=60, help="requests per URL")
    parser.add_argument("--fresh", action="store_true", help="rebuild the data")
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    # Its own database name, so a test run (which uses test_<name>) never wipes the data.
    connection.settings_dict["TEST"]["NAME"] = f"bench_ideas_{connection.settings_dict['NAME']}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=not args.fresh)
    print(f"database: {connection.settings_dict['NAME']}", flush=True)
    build(args.ideas, args.comments)
    # What autovacuum does soon after a bulk load: the comment_count updates left dead rows.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ideas_idea")
        cursor.execute("VACUUM ANALYZE ideas_comment")
        cursor.execute("ANALYZE")  # fresh statistics everywhere (users too)
    measure(args.repeat)


def _bench_users() -> list[User]:
    users = list(User.objects.filter(username__startswith="bench"))
    if not users:
        users = User.objects.bulk_create(
            User(username=f"bench{i}", email=f"bench{i}@example.org", password="!")
            for i in range(500)
        )
    return users


def _zh_bodies(rng: random.Random) -> list[tuple[str, str]]:
    bodies = []
    for _ in range(50):
        words = rng.sample(ZH_WORDS, 30)
        body = (
            f"## 问题\n\n{''.join(words[:12])}。\n\n## 想法\n\n"
            f"一个**{words[12]}{words[13]}**，{''.join(words[14:24])}。\n\n"
            + "\n".join(f"- {w}" for w in words[24:])
        )
        bodies.append((body, render_markdown(body)))
    return bodies


def _bodies(rng: random.Random) -> list[tuple[str, str]]:
    bodies = []
    for _ in range(50):
        words = rng.sample(WORDS, 30)
        body = (
            f"## The problem\n\n{' '.join(words[:12])}.\n\n## The idea\n\n"
            f"A **{words[12]} {words[13]}** that {' '.join(words[14:24])}.\n\n"
            + "\n".join(f"- {w}" for w in words[24:])
        )
        bodies.append((body, render_markdown(body)))
    return bodies


def _build_ideas(rng: random.Random, n_ideas: int, users: list[User]) -> list[Idea]:
    categories = [
        Category.objects.get_or_create(slug=f"cat-{i}", defaults={"name": f"Category {i}"})[0]
        for i in range(8)
    ]
    tags = [Tag.objects.get_or_create(slug=w, defaults={"name": w})[0] for w in WORDS[:40]]
    bodies, zh_bodies = _bodies(rng), _zh_bodies(rng)
    now = timezone.now()
    ideas = []
    for i in range(n_ideas):
        status = rng.choice(STATUSES)
        published = None if status == "draft" else now - timedelta(minutes=rng.randint(1, 130_000))
        if i % 3 == 2:  # a third in Chinese
            body, html = zh_bodies[i % len(zh_bodies)]
            a, b = rng.sample(ZH_WORDS, 2)
            title = f"{a}{b}{rng.choice(ZH_AUDIENCES)} #{i}"
            summary = f"一个{a}{b}，{''.join(rng.sample(ZH_WORDS, 6))}。"
        else:
            body, html = bodies[i % len(bodies)]
            a, b = rng.sample(WORDS, 2)
            title = f"{a.capitalize()} {b} {rng.choice(AUDIENCES)} #{i}"
            summary = f"A {a} {b} that is {' '.join(rng.sample(WORDS, 6))}."
        ideas.append(
            Idea(
                creator=rng.choice(users),
                title=title,
                summary=summary,
                body=body,
                body_html=html,
                category=rng.choice(categories),
                status=status,
                published_at=published,
                voting_deadline=published and published + timedelta(days=60),
                votes_folded=int(rng.paretovariate(1.2)) if status != "draft" else 0,
            )
        )  # fmt: skip
    ideas = Idea.objects.bulk_create(ideas, batch_size=2000)
    FundingRound.objects.bulk_create(
        (
            FundingRound(
                idea=idea, goal=rng.randint(1_000, 50_000) * 100, currency="EUR",
                deadline=now + timedelta(days=rng.randint(1, 30)), platform_fee_bp=1500,
                points_per_unit=1,
            )
            for idea in ideas
            if idea.status == "funding"
        ),
        batch_size=2000,
    )  # fmt: skip
    through = Idea.tags.through
    through.objects.bulk_create(
        (through(idea_id=idea.pk, tag_id=t.pk) for idea in ideas for t in rng.sample(tags, 3)),
        batch_size=5000,
    )
    return ideas


COMMENT_TEXTS = (
    "Love it, **when** can I buy one?",
    "How does it hold up in the rain?",
    "Suggestion: make the battery *replaceable*.",
    "Have you priced the parts? [Here is a supplier](https://example.org).",
    "My kids would use this every day.",
)


def _build_comments(
    rng: random.Random, n_comments: int, public: list[Idea], users: list[User]
) -> dict[int, int]:
    """60 % top-level comments, then replies to them; the count per idea."""
    texts = [(t, render_markdown(t, comment=True)) for t in COMMENT_TEXTS]
    tops_per_idea: dict[int, list[int]] = {}
    n_top = int(n_comments * 0.6)
    counts: dict[int, int] = {}
    batch: list[Comment] = []

    def flush(rows):
        created = Comment.objects.bulk_create(rows, batch_size=5000)
        for c in created:
            if c.parent_id is None:
                tops_per_idea.setdefault(c.idea_id, []).append(c.pk)
        rows.clear()

    for i in range(n_comments):
        if i == n_top:
            flush(batch)
        idea = public[min(int(rng.paretovariate(0.9)) - 1, len(public) - 1)] if i % 3 else (
            rng.choice(public))  # fmt: skip
        body, html = texts[i % len(texts)]
        parent = None
        if i >= n_top and tops_per_idea.get(idea.pk):
            parent = rng.choice(tops_per_idea[idea.pk])
        batch.append(
            Comment(
                idea_id=idea.pk, author=rng.choice(users), body=body, body_html=html,
                parent_id=parent, root_id=parent, depth=1 if parent else 0,
                is_suggestion=body.startswith("Suggestion"),
            )
        )  # fmt: skip
        counts[idea.pk] = counts.get(idea.pk, 0) + 1
        if len(batch) >= 20_000:
            flush(batch)
    flush(batch)
    return counts


def build(n_ideas: int, n_comments: int) -> None:
    have = Idea.objects.count()
    mixed = Idea.objects.exclude(
        search_words=""
    ).exists()  # data from before Chinese ideas: rebuild
    if have >= n_ideas and Comment.objects.count() >= n_comments and mixed:
        print(f"data: {have:,} ideas, {Comment.objects.count():,} comments (kept)", flush=True)
        return
    Comment.objects.all().delete()
    Idea.tags.through.objects.all().delete()
    Idea.objects.all().delete()
    rng = random.Random(7)
    start = time.perf_counter()
    with transaction.atomic():
        users = _bench_users()
        ideas = _build_ideas(rng, n_ideas, users)
        print(f"  {len(ideas):,} ideas in {time.perf_counter() - start:.1f} s", flush=True)
        public = [i for i in ideas if i.published_at]
        counts = _build_comments(rng, n_comments, public, users)
        print(f"  {n_comments:,} comments in {time.perf_counter() - start:.1f} s", flush=True)
        for pk, count in counts.items():
            Idea.objects.filter(pk=pk).update(comment_count=count)
    print(f"data: built in {time.perf_counter() - start:.1f} s", flush=True)


def measure(repeat: int) -> None:
    busiest = Idea.objects.exclude(published_at=None).order_by("-comment_count").first()
    typical = Idea.objects.filter(comment_count__gte=20).order_by("comment_count", "id").first()
    urls = [
        ("home, hot tab", "/"),
        ("home, top tab", "/?tab=top"),
        ("home, new tab", "/?tab=new"),
        ("home, closing soon", "/?tab=closing"),
        ("API ideas ordering=hot", "/api/v1/ideas/?ordering=hot"),
        ("API ideas ordering=top", "/api/v1/ideas/?ordering=top"),
        ("API ideas status=voting&ordering=new", "/api/v1/ideas/?status=voting&ordering=new"),
        ("search page q=solar kettle", "/search/?q=solar+kettle"),
        ("search page q=garden&status=voting", "/search/?q=garden&status=voting"),
        ("API ideas q=bike lock", "/api/v1/ideas/?q=bike+lock"),
        ("search page q=太阳能", "/search/?q=太阳能"),
        ("search page q=露营 水壶&status=voting", "/search/?q=露营+水壶&status=voting"),
        ("API ideas q=折叠充电器", "/api/v1/ideas/?q=折叠充电器"),
        (f"idea page ({typical.comment_count} comments)", f"/ideas/{typical.pk}/"),
        (f"idea page ({busiest.comment_count} comments)", f"/ideas/{busiest.pk}/"),
        ("API comments of that idea", f"/api/v1/ideas/{busiest.pk}/comments/"),
    ]
    client = Client()
    print(f"{'what':<44} {'queries p1/p40':>14} {'median ms':>10} {'p95 ms':>8}")
    for label, url in urls:
        sep = "&" if "?" in url else "?"
        counts = []
        for page_url in (url, f"{url}{sep}page=40"):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(page_url)
            counts.append(f"{len(ctx.captured_queries)}" if response.status_code == 200 else "-")
        assert client.get(url).status_code == 200, url
        for _ in range(5):  # warm caches
            client.get(url)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"{label:<44} {'/'.join(counts):>14} {statistics.median(times):>10.1f} {p95:>8.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
