"""Demo ideas and discussions for ``seed_demo`` (runs after accounts, before voting/funding).

Thirty-odd distinct product ideas by the demo members, meant for every state an idea can reach
without money: drafts, ideas in voting (published days or weeks ago, some closing soon), ideas
for review (the funding demo approves some of them), rejected, expired and withdrawn ones.
Discussions have threads, suggestions (some accepted, which records pending suggestion
claims) and one flagged comment waiting in the moderation queue. Votes are the voting demo's:
it votes the ideas meant for review or rejection (``IDEAS`` rows in ``VOTED_TO_REVIEW``) up to
their threshold, rejects those meant for rejection, then casts the rest of its votes.
Everything goes through the real services; only the dates are moved into the past afterwards
so the lists look lived-in.
"""

import io
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User

from .demo_data import (
    CATEGORIES,
    COMMENTS,
    IDEAS,
    REPLIES,
    SUGGESTIONS,
    TEXTS,
    ZH_COMMENTS,
    ZH_REPLIES,
    ZH_SUGGESTIONS,
)
from .models import Category, Comment, Idea, IdeaStatus, IdeaTransition
from .search import CJK
from .services import (
    comment_accept,
    comment_create,
    comment_hide,
    flag_create,
    idea_create,
    idea_publish,
    idea_withdraw,
)
from .transitions import idea_transition

# The states the voting demo reaches by voting an idea to its threshold (then rejecting some).
VOTED_TO_REVIEW = ("review", "rejected")
REJECTION_REASON = (
    "Similar products are already widely available at a lower price; the community's "
    "suggestions did not change that."
)


def _language(title: str) -> str:
    return "zh" if CJK.search(title) else "en"


# The discussion's texts in each language: comments, replies, suggestions.
DISCUSSION = {
    "en": (COMMENTS, REPLIES, SUGGESTIONS),
    "zh": (ZH_COMMENTS, ZH_REPLIES, ZH_SUGGESTIONS),
}


def _body(problem: str, idea: str, bullets: list[str], question: str | None, lang="en") -> str:
    problem_h, idea_h, does_h, question_h = TEXTS[lang]["headings"]
    lines = [f"## {problem_h}", "", problem, "", f"## {idea_h}", "", idea, "", f"## {does_h}"]
    lines += [""] + [f"- {b}" for b in bullets]
    if question:
        lines += ["", f"## {question_h}", "", f"**{question}**"]
    return "\n".join(lines)


def _backdate(idea: Idea, days: int, now) -> None:
    """Move an idea's publication (and its audit trail) into the past for a lived-in demo."""
    if days <= 0 or idea.published_at is None:
        return
    published = now - timedelta(days=days, hours=days % 7)
    deadline = published + timedelta(days=settings.VOTING_WINDOW_DAYS)
    Idea.objects.filter(pk=idea.pk).update(
        published_at=published, voting_deadline=deadline, created_at=published
    )
    idea.published_at, idea.voting_deadline = published, deadline
    for n, step in enumerate(IdeaTransition.objects.filter(idea=idea).order_by("id")):
        IdeaTransition.objects.filter(pk=step.pk).update(
            created_at=published + timedelta(days=n * max(days // 4, 1))
        )
    # Spread the discussion between publication and now, keeping its order.
    comments = Comment.objects.filter(idea=idea).order_by("id")
    comment_ids = list(comments.values_list("pk", flat=True))
    span = now - published
    for n, pk in enumerate(comment_ids):
        Comment.objects.filter(pk=pk).update(
            created_at=published + span * (n + 1) / (len(comment_ids) + 1)
        )


# A colour per category for the drawn demo covers (no photos ship with the repository).
COVER_COLOURS = {
    "home-kitchen": ((201, 70, 31), (245, 190, 120)),
    "outdoors": ((46, 110, 80), (170, 215, 160)),
    "mobility": ((40, 70, 140), (150, 190, 240)),
    "kids-learning": ((150, 60, 140), (240, 180, 220)),
    "health-care": ((30, 120, 130), (170, 225, 225)),
    "energy": ((200, 140, 20), (250, 225, 140)),
    "work-tools": ((70, 70, 80), (190, 190, 200)),
    "pets": ((140, 90, 50), (230, 200, 160)),
}


def _demo_cover(n: int, category: str) -> ContentFile:
    """A drawn 1600×900 cover: the category's colours, a gradient and a few shapes."""
    dark, light = COVER_COLOURS[category]
    image = Image.new("RGB", (1600, 900), light)
    draw = ImageDraw.Draw(image)
    for y in range(0, 900, 6):  # a vertical gradient from light to dark
        t = y / 900
        colour = tuple(round(light[i] + (dark[i] - light[i]) * t) for i in range(3))
        draw.rectangle([0, y, 1600, y + 6], fill=colour)
    cx, cy = 400 + (n * 173) % 800, 300 + (n * 97) % 300
    draw.ellipse([cx - 220, cy - 220, cx + 220, cy + 220], fill=light)
    draw.rounded_rectangle([cx + 120, cy - 40, cx + 620, cy + 260], radius=40, fill=dark)
    out = io.BytesIO()
    image.save(out, "PNG")
    return ContentFile(out.getvalue(), name="cover.png")


def seed(stdout) -> None:
    users = {u.username: u for u in User.objects.all()}
    if "creator" not in users or "reviewer" not in users:
        stdout.write("Ideas demo: the demo accounts are missing; skipped.")
        return
    reviewer = users["reviewer"]
    members = [u for name, u in sorted(users.items()) if name not in ("admin", "finance2")]
    categories = {}
    for name, slug, threshold in CATEGORIES:
        categories[slug], _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "vote_threshold": threshold}
        )
    now = timezone.now()
    counts: dict[str, int] = {}
    created: list[tuple[Idea, str]] = []
    for n, row in enumerate(IDEAS):
        username, title, summary, cat, tags, problem, pitch, bullets, question, state, days = row
        creator = users[username]
        video = {}
        if n % 5 == 0:
            video = {"video_url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ"}
        elif n % 7 == 0:
            video = {"video_url": "https://vimeo.com/76979871"}
        idea = idea_create(
            creator=creator,
            title=title,
            summary=summary,
            body=_body(problem, pitch, bullets, question, _language(title)),
            category=categories[cat],
            tags=tags,
            cover=_demo_cover(n, cat) if n % 3 != 1 else None,  # most ideas have a cover
            **video,
        )
        if state != "draft":
            idea_publish(idea=idea, actor=creator)
        if state == "withdrawn":
            idea_withdraw(idea=idea, actor=creator, reason="I found an existing product that "
                          "does this well enough.")  # fmt: skip
        created.append((idea, state))
        counts[state] = counts.get(state, 0) + 1

    # Discussion on every published idea: comments, replies, suggestions.
    comment_total = suggestion_total = accepted_total = 0
    for n, (idea, state) in enumerate(created):
        if state == "draft":
            continue
        others = [m for m in members if m.pk != idea.creator_id]
        lang = _language(idea.title)
        comments, replies, suggestions = DISCUSSION[lang]
        first_by = others[n % len(others)]
        top = comment_create(idea=idea, author=first_by, body=comments[n % len(comments)])
        comment_total += 1
        reply_author = idea.creator if n % 2 == 0 else others[(n + 3) % len(others)]
        comment_create(idea=idea, author=reply_author, body=replies[n % len(replies)], parent=top)
        comment_total += 1
        if n % 3 != 2:
            second = comment_create(
                idea=idea,
                author=others[(n + 5) % len(others)],
                body=comments[(n + 3) % len(comments)],
            )
            comment_total += 1
            comment_create(
                idea=idea,
                author=others[(n + 7) % len(others)],
                body=TEXTS[lang]["plus_one"],
                parent=second,
            )
            comment_total += 1
        if state in ("voting", "review", "expired", "rejected"):
            suggestion = comment_create(
                idea=idea,
                author=others[(n + 2) % len(others)],
                body=suggestions[n % len(suggestions)],
                is_suggestion=True,
            )
            comment_total += 1
            suggestion_total += 1
            if state in ("voting", "review") and n % 2 == 0:
                comment_accept(comment=suggestion, actor=idea.creator)
                comment_create(
                    idea=idea,
                    author=idea.creator,
                    body=TEXTS[lang]["accepted"],
                    parent=suggestion,
                )
                comment_total += 1
                accepted_total += 1

    # Backdate, then let the expired ideas expire (the voting demo takes the others further).
    for (idea, state), row in zip(created, IDEAS, strict=True):
        _backdate(idea, row[-1], now)
        if state == "expired":
            Idea.objects.filter(pk=idea.pk).update(voting_deadline=now - timedelta(days=2))
            idea_transition(
                idea=idea,
                to_status=IdeaStatus.EXPIRED,
                reason="The voting window ended below the threshold.",
            )

    # One comment waits in the moderation queue; one was already hidden (on the first idea
    # that stays in voting).
    target = next((idea for idea, state in created if state == "voting"), None)
    if target is not None:
        spam = comment_create(
            idea=target,
            author=users["tomas"],
            body="Cheap watches!!! Visit my shop for 90% off, link in my profile.",
        )
        flag_create(reporter=users["alice"], comment=spam, reason="Advertising, not discussion.")
        flag_create(reporter=users["bob"], comment=spam, reason="Spam.")
        rude = comment_create(idea=target, author=users["sami"], body="This is stupid.")
        comment_hide(comment=rude, actor=reviewer, reason="Be kind: criticise ideas, not people.")
    stdout.write(
        f"Demo ideas: {len(created)} ({', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}); "
        f"{comment_total} comments, {suggestion_total} suggestions ({accepted_total} accepted)."
    )
