"""Demo follows and creator updates for ``seed_demo`` (runs last, after the products exist):
members follow a few ideas and the creator; creators of ideas in funding and of products post
updates, which reach their backers and followers as notifications."""

from accounts.models import User
from ideas.models import Idea, IdeaStatus

from .services import idea_follow, idea_update_post, member_follow

UPDATES = {
    "en": [
        "Thank you for the first pledges! The prototype is on the workbench; photos next week.",
        "We tested three materials with your suggestions in mind and picked the recycled one.",
    ],
    "zh-hans": [
        "感谢大家的第一批认捐！样机正在制作中，下周分享照片。",
        "我们根据大家的建议测试了三种材料，最终选择了再生材料。",
    ],
}


def seed(stdout) -> None:
    users = {u.username: u for u in User.objects.all()}
    if "creator" not in users or "alice" not in users:
        stdout.write("Community demo: the demo accounts are missing; skipped.")
        return
    live = list(
        Idea.objects.filter(
            status__in=[IdeaStatus.FUNDING, IdeaStatus.FUNDED, IdeaStatus.IN_PRODUCTION,
                        IdeaStatus.LAUNCHED, IdeaStatus.VOTING],
            hidden_at__isnull=True,
        ).select_related("creator").order_by("id")
    )  # fmt: skip
    followers = [users[name] for name in ("alice", "bob", "chen", "dara", "lihua") if name in users]
    follows = 0
    for n, idea in enumerate(live):
        for member in followers[: 1 + n % len(followers)]:
            if member.pk != idea.creator_id and idea_follow(idea=idea, member=member):
                follows += 1
    for name in ("alice", "bob", "xiaoming"):
        if name in users and users[name].pk != users["creator"].pk:
            member_follow(followed=users["creator"], follower=users[name])
    updates = 0
    for n, idea in enumerate(i for i in live if i.status != IdeaStatus.VOTING):
        texts = UPDATES["zh-hans" if any("\u4e00" <= ch <= "\u9fff" for ch in idea.title) else "en"]
        for text in texts[: 1 + n % 2]:
            idea_update_post(idea=idea, author=idea.creator, body=text)
            updates += 1
    stdout.write(f"Demo community: {follows} idea follows, {updates} creator updates.")
