"""A small world taken through the platform's whole story with its own services, every word a
person types in one language (used by tests/core/test_every_page_in_its_language.py).

``build_world("zh")``: everything people type — display names, ideas, tags, categories (an admin
names them), comments, suggestions, flags, reviewers' and finance's reasons and notes, claims,
milestones, updates — is Chinese, and every member reads Chinese. So any Latin word on a
zh-Hans page is the site's own. ``build_world("en")`` is the same story written in English.

The story: a creator's ideas are published, voted to review, approved (one rejected) with
funding terms in CNY, pledged, two rounds close funded; the products get a team, a milestone,
a stage move, claims (approved, rejected, pending, a suggestion accepted from the discussion);
finance confirms payments, books sales and an approved adjustment, records a period, settles it
(four eyes), and pays the balances in a payout batch.
"""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from accounts.services import role_grant, token_issue
from community.services import idea_follow, idea_update_post, member_follow
from contributions.services import (
    contribution_approve,
    contribution_endorse,
    contribution_reject,
    contribution_submit,
)
from funding.models import Payment, Product
from funding.services import (
    funding_round_close,
    payment_confirm,
    pledge_create,
    product_advance,
    review_decide,
)
from ideas.models import Category, IdeaStatus, IdeaTransition
from ideas.services import (
    comment_accept,
    comment_create,
    comment_hide,
    flag_create,
    idea_create,
    idea_publish,
    idea_withdraw,
)
from payouts import services as payouts
from products.services import milestone_add, product_team_add
from sales.services import adjustment_approve, adjustment_propose, sales_line_record
from tests.factories import give_destination
from tests.helpers import PASSWORD
from voting.services import vote_cast

# Who reads (username → role); the visitor is nobody signed in.
PEOPLE = {
    "creator": None, "alice": None, "bob": None, "chen": None,
    "rita": "reviewer", "rafael": "reviewer", "fiona": "finance", "felix": "finance",
}  # fmt: skip

WORDS = {
    "zh": {
        "names": ["陈创", "李爱", "王波", "张晨", "刘审", "赵评", "孙财", "周务"],
        "categories": ["家居用品", "户外装备"],
        "ideas": [
            ("阳台太阳能水壶", "用阳光二十分钟烧开一升水。", ["太阳能", "厨房"]),
            ("可维修耳机", "每个零件都能拧下来更换：线、耳垫、电池。", ["维修", "音乐"]),
            ("静音桌面风扇", "适合共享办公室的无叶风扇，低于二十分贝。", ["办公室"]),
            ("雨水桶传感器", "告诉手机你存了多少雨水。", ["花园", "节水"]),
            ("儿童编程卡片", "一副离线教循环和条件的卡片。", ["教育"]),
            ("可折叠梯子", "收起来只有十厘米厚。", ["家居"]),
            ("铸铁锅修复套装", "让生锈的锅重获新生。", ["厨房", "维修"]),
            ("口袋手语词典", "两千个手语的离线视频词典。", ["教育", "无障碍"]),
        ],
        "body": "## 问题\n\n夏天阳台很热。\n\n## 想法\n\n**用好阳光。**\n\n- 便宜\n- 好修",
        "comment": "我很想要一个，能做成两升的吗？",
        "reply": "可以，我们正在画两升的版本。",
        "suggestion": "把手柄做成可拆卸的，洗起来更方便。",
        "rude": "这条评论不友善，已被举报。",
        "flag": "语气不礼貌。",
        "hide": "人身攻击，违反社区守则。",
        "approve": "评论里需求明确，预算合理，创作者回答问题很及时。",
        "reject": "和市场上已有的产品太像了，我们更想支持有新意的想法。",
        "withdraw": "我想先做一个样机再来。",
        "advance": "已和工厂签约，开始生产。",
        "claims": [
            "完成了外观设计和三轮草图。",
            "做出了能用的样机并写了测试计划。",
            "找到并审核了工厂。",
            "拍了两个宣传视频。",
        ],  # fmt: skip
        "claim_reject": "链接里还看不到这项工作，请补充图纸或照片后再申请。",
        "milestone": ("第一批样机", "二十台样机交给测试者。"),
        "update": "感谢大家的第一批认筹！样机正在制作，下周分享照片。",
        "adjust": "本月的生产、运输和手续费。",
        "notes": "网店和批发的销售；成本：生产、运输、手续费。",
        "token": "我的脚本",
        "channel": "网店",  # the shop's name for where it sold
    },
    "en": {
        "names": [
            "Carla Creator",
            "Alice Archer",
            "Bob Baker",
            "Chen Cooper",
            "Rita Reviewer",
            "Rafael Reed",
            "Fiona Finch",
            "Felix Ford",
        ],  # fmt: skip
        "categories": ["Household", "Outdoors"],
        "ideas": [
            ("Balcony solar kettle", "Boils a litre of water with sunlight.", ["solar", "kitchen"]),
            ("Repairable headphones", "Every part screws in: cable, pads, battery.", ["repair"]),
            ("Quiet desk fan", "A bladeless fan for shared offices.", ["office"]),
            ("Rain barrel sensor", "Tells your phone how much rain you stored.", ["garden"]),
            ("Coding cards for kids", "Cards that teach loops offline.", ["education"]),
            ("Folding ladder", "Ten centimetres thick when folded.", ["home"]),
            ("Cast-iron pan kit", "Brings a rusty pan back to life.", ["kitchen"]),
            ("Pocket sign dictionary", "An offline video dictionary of signs.", ["education"]),
        ],
        "body": "## Problem\n\nBalconies get hot.\n\n## Idea\n\n**Use the sun.**\n\n- Cheap",
        "comment": "I would love one, could it hold two litres?",
        "reply": "Yes, we are drawing a two-litre version.",
        "suggestion": "Make the handle come off so it is easier to wash.",
        "rude": "This comment is unkind and was flagged.",
        "flag": "Rude tone.",
        "hide": "A personal attack, against the community rules.",
        "approve": "Clear demand in the comments, a realistic budget, a creator who answers.",
        "reject": "Too close to a product already on the market.",
        "withdraw": "I want to build a prototype first.",
        "advance": "The factory is booked; production starts.",
        "claims": [
            "Designed the look in three rounds of sketches.",
            "Built a working prototype.",
            "Found and audited the factory.",
            "Shot two launch videos.",
        ],  # fmt: skip
        "claim_reject": "The link does not show this work yet; add drawings and claim again.",
        "milestone": ("First prototypes", "Twenty prototypes in testers' hands."),
        "update": "Thank you for the first pledges! The prototype is on the bench.",
        "adjust": "Production, shipping and fees of the month.",
        "notes": "Shop and wholesale sales; costs: production, shipping, fees.",
        "token": "my script",
        "channel": "web shop",
    },
}

ZH_LANGUAGE = {"zh": "zh-hans", "en": "en"}


class World:
    """What the story made: ``people`` by username, ``ideas`` by role in the story."""

    def __init__(self, lang: str):
        self.lang = lang
        self.words = WORDS[lang]
        self.people: dict[str, User] = {}
        self.ideas: dict = {}
        self.products: dict = {}
        self.ids: dict[str, int] = {}  # the pages' numbers: product, period, batch


def build_world(lang: str) -> World:
    world = World(lang)
    _people(world)
    _ideas(world)
    _review_and_fund(world)
    _discussion(world)
    _products(world)
    _money(world)
    return world


def _people(world: World) -> None:
    joined = timezone.now() - timedelta(days=200)
    for (username, role), name in zip(PEOPLE.items(), world.words["names"], strict=True):
        user = User.objects.create_user(
            username=username, email=f"{username}@example.org", password=PASSWORD,
            display_name=name, email_verified=True, date_joined=joined,
            language=ZH_LANGUAGE[world.lang], language_chosen=True,
        )  # fmt: skip
        if role:
            role_grant(user=user, role=role)
        world.people[username] = user
    token_issue(member=world.people["alice"], name=world.words["token"])


def _ideas(world: World) -> None:
    p, w = world.people, world.words
    categories = [
        Category.objects.create(name=name, slug=f"c{n}", vote_threshold=3)
        for n, name in enumerate(w["categories"])
    ]
    plan = ["launched", "funded", "funding", "rejected", "review", "voting", "withdrawn", "draft"]
    for n, ((title, summary, tags), role) in enumerate(zip(w["ideas"], plan, strict=True)):
        creator = p["alice"] if role == "voting" else p["creator"]
        idea = idea_create(
            creator=creator, title=title, summary=summary, body=w["body"],
            category=categories[n % 2], tags=tags,
        )  # fmt: skip
        world.ideas[role] = idea
        if role == "draft":
            continue
        idea_publish(idea=idea, actor=creator)
        if role == "withdrawn":
            idea_withdraw(idea=idea, actor=creator, reason=w["withdraw"])
            continue
        voters = ["alice", "bob", "chen"] if role != "voting" else ["bob"]
        for k, name in enumerate(voters):
            vote_cast(idea=idea, member=p[name], network=f"198.51.{100 + k}.0/24")
        idea.refresh_from_db()
        assert idea.status == (IdeaStatus.VOTING if role == "voting" else IdeaStatus.REVIEW)


def _review_and_fund(world: World) -> None:
    p, w = world.people, world.words
    review_decide(
        idea=world.ideas["rejected"], reviewer=p["rafael"], decision="reject", reason=w["reject"]
    )
    for role in ("launched", "funded", "funding"):
        idea = world.ideas[role]
        review_decide(
            idea=idea, reviewer=p["rita"], decision="approve", reason=w["approve"],
            funding_goal=300_000, currency="CNY", platform_fee_bp=1500, points_per_unit=1,
        )  # fmt: skip
        for name, amount in (("alice", 210_025), ("bob", 150_000), ("chen", 60_000)):
            if role == "funding" and name == "chen":
                continue
            pledge_create(idea=idea, member=p[name], amount=amount)
        if role != "funding":
            world.products[role] = funding_round_close(idea=idea, actor=p["rita"])
    product_advance(product=world.products["launched"], actor=p["rita"], reason=w["advance"])


def _discussion(world: World) -> None:
    p, w = world.people, world.words
    for role in ("voting", "launched", "funding"):
        idea = world.ideas[role]
        top = comment_create(idea=idea, author=p["bob"], body=w["comment"])
        comment_create(idea=idea, author=idea.creator, body=w["reply"], parent=top)
        suggestion = comment_create(
            idea=idea, author=p["chen"], body=w["suggestion"], is_suggestion=True
        )
        if role == "launched":
            comment_accept(comment=suggestion, actor=idea.creator, points=20)
        rude = comment_create(idea=idea, author=p["chen"], body=w["rude"])
        flag_create(reporter=p["bob"], reason=w["flag"], comment=rude)
        if role == "funding":
            comment_hide(comment=rude, actor=p["rita"], reason=w["hide"])
    flag_create(reporter=p["chen"], reason=w["flag"], idea=world.ideas["voting"])
    for role in ("launched", "funding", "voting"):
        idea_follow(idea=world.ideas[role], member=p["alice"])
    member_follow(followed=p["creator"], follower=p["alice"])
    idea_update_post(idea=world.ideas["launched"], author=p["creator"], body=w["update"])


def _products(world: World) -> None:
    p, w = world.people, world.words
    for role, product in world.products.items():
        product_team_add(product=product, actor=p["creator"], member=p["alice"])
        title, description = w["milestone"]
        milestone_add(
            product=product, actor=p["creator"], title=title, description=description,
            due_date=timezone.now().date() + timedelta(days=30),
        )  # fmt: skip
        claims = [
            contribution_submit(
                product=product,
                member=p[name],
                kind=kind,
                description=text,
                proposed_points=points,
                evidence_url="https://example.org/work",
            )  # fmt: skip
            for name, kind, text, points in zip(
                ["alice", "bob", "chen", "alice"],
                ["design", "engineering", "production", "marketing"],
                w["claims"],
                [120, 150, 110, 80],
                strict=True,
            )
        ]
        contribution_endorse(contribution=claims[0], actor=p["creator"])
        contribution_approve(contribution=claims[0], reviewer=p["rita"], points=100)
        contribution_approve(contribution=claims[1], reviewer=p["rita"], points=150)
        contribution_reject(contribution=claims[2], reviewer=p["rita"], reason=w["claim_reject"])
        # claims[3] stays pending, for the reviewers' queue.
        del role


def _money(world: World) -> None:
    p, w = world.people, world.words
    product = world.products["funded"]
    for payment in Payment.objects.filter(pledge__idea=product.idea):
        payment_confirm(payment=payment, actor=p["fiona"], reference=f"SEPA-{payment.pk:05d}")
    today = timezone.now().date()
    start = today - timedelta(days=29)
    funded = datetime.combine(start - timedelta(days=10), time(9), tzinfo=UTC)
    Product.objects.filter(pk=product.pk).update(created_at=funded)
    IdeaTransition.objects.filter(idea=product.idea, to_status=IdeaStatus.FUNDED).update(
        created_at=funded
    )
    product.refresh_from_db()
    for n in range(3):
        sales_line_record(
            product=product, actor=p["fiona"], channel=w["channel"], order_id=f"A-{n + 1}",
            date=start + timedelta(days=n * 7), quantity=2, gross=120_000, currency="CNY",
        )  # fmt: skip
    adjustment = adjustment_propose(
        product=product, day=start, side="costs", amount=90_000, reason=w["adjust"],
        actor=p["fiona"],
    )  # fmt: skip
    adjustment_approve(adjustment=adjustment, actor=p["felix"])
    period = payouts.period_record(
        product=product, start=start, end=today, actor=p["fiona"], notes=w["notes"]
    )
    settlement = payouts.period_settle(period=period, actor=p["fiona"])
    payouts.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()
    payouts.settlement_approve(settlement=settlement, actor=p["felix"])
    payouts.settlement_post(settlement_id=settlement.pk)
    for name in ("creator", "alice", "bob", "chen"):
        give_destination(p[name])
    batch = payouts.payout_batch_create(currency="CNY", actor=p["fiona"])
    payouts.payout_batch_mark_paid(batch=batch, reference="SEPA-20261205-001", actor=p["felix"])
    world.ids = {"product": product.pk, "period": period.pk, "batch": batch.pk}
