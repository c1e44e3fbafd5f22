"""Creating, editing, publishing and withdrawing an idea (SPEC section 2)."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import ValidationFailed
from core.files import delete_after_commit
from core.images import cover_process
from core.phrases import day, said
from core.rules import check
from notifications.services import notify

from .. import phrases, rules, selectors
from ..hooks import idea_published
from ..models import Category, Idea, IdeaStatus, cover_sibling
from ..rendering import render_markdown
from ..transitions import idea_transition
from ..video import video_detect, video_embed_url
from .validation import (
    BODY_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    check_text,
    fail,
    tags_from_names,
)

_UNSET = object()


def _apply_video(idea: Idea, *, video_file, video_url: str | None, fields: dict) -> None:
    """Set the idea's video from an upload or a link (not both); a new one replaces the old."""
    if video_file and video_url:
        fields["video_url"] = [gettext("Give either a video file or a link, not both.")]
        return
    try:
        if video_file:
            detected = video_detect(video_file)
        else:
            embed_url = video_embed_url(video_url)
    except ValidationFailed as exc:
        fields.update(exc.fields)
        return
    delete_after_commit(idea.video_file)
    if video_file:
        # The storage picks the random name (ideas.models.video_upload_to); save=False because
        # the service saves the idea itself.
        idea.video_file.save(f"video.{detected.extension}", video_file, save=False)
        idea.video_mime = detected.mime
        idea.video_url = idea.video_embed_url = ""
    else:
        idea.video_embed_url = embed_url
        idea.video_url = video_url.strip()[:200]
        idea.video_file = ""
        idea.video_mime = ""


def _apply_cover(idea: Idea, *, cover, fields: dict) -> None:
    """Set the idea's cover from an upload (resized by ``core.images``); a new one replaces
    the old."""
    try:
        made = cover_process(cover)
    except ValidationFailed as exc:
        fields.update(exc.fields)
        return
    _remove_cover(idea)
    for slot, content in made.slots.items():
        stored = getattr(idea, f"cover_{slot}")
        stored.save(content.name, content, save=False)
        for ext, files in (made.modern or {}).items():
            stored.storage.save(cover_sibling(stored.name, ext), files[slot])
    idea.cover_width = made.width
    idea.cover_formats = " ".join(made.modern or {})


def _remove_cover(idea: Idea) -> None:
    for width in (400, 800, 1600):
        stored = getattr(idea, f"cover_{width}")
        if stored:
            for ext in idea.cover_formats.split():
                name, storage = cover_sibling(stored.name, ext), stored.storage
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        delete_after_commit(stored)
        setattr(idea, f"cover_{width}", "")
    idea.cover_width = 0
    idea.cover_formats = ""


def _remove_video(idea: Idea) -> None:
    delete_after_commit(idea.video_file)
    idea.video_file = ""
    idea.video_mime = idea.video_url = idea.video_embed_url = ""


def _check_texts(fields: dict, idea: Idea, *, title, summary, body) -> None:
    """Check and set the given texts (``_UNSET`` leaves one as it is)."""
    if title is not _UNSET:
        idea.title = check_text(
            fields, "title", title, max_length=TITLE_MAX_LENGTH, label=gettext("the title")
        )
    if summary is not _UNSET:
        idea.summary = check_text(
            fields, "summary", summary, max_length=SUMMARY_MAX_LENGTH, label=gettext("the summary")
        )
    if body is not _UNSET:
        idea.body = check_text(
            fields, "body", body, max_length=BODY_MAX_LENGTH, label=gettext("the body")
        )


@transaction.atomic
def idea_create(
    *,
    creator,
    title: str,
    summary: str,
    body: str,
    category: Category | None = None,
    tags: Iterable[str] = (),
    video_file=None,
    video_url: str = "",
    cover=None,
) -> Idea:
    """A new draft by ``creator``. Title ≤ 120, summary ≤ 280, a body; video and cover image
    optional."""
    fields: dict[str, list[str]] = {}
    idea = Idea(creator=creator, category=category)
    _check_texts(fields, idea, title=title, summary=summary, body=body)
    tag_objects = tags_from_names(tags, fields)
    if not fields and (video_file or video_url):
        _apply_video(idea, video_file=video_file, video_url=video_url, fields=fields)
    if not fields and cover:
        _apply_cover(idea, cover=cover, fields=fields)
    fail(fields)
    idea.body_html = render_markdown(idea.body)
    idea.save()
    idea.tags.set(tag_objects)
    return idea


@transaction.atomic
def idea_update(
    *,
    idea: Idea,
    actor,
    title=_UNSET,
    summary=_UNSET,
    body=_UNSET,
    category=_UNSET,
    tags=_UNSET,
    video_file=None,
    video_url=_UNSET,
    cover=None,
    remove_cover: bool = False,
) -> Idea:
    """The creator edits their idea while it is a draft or in voting (and not hidden).

    Only the arguments given change; ``video_url=""`` removes a linked or uploaded video,
    ``remove_cover`` the cover image (a new ``cover`` replaces it).
    """
    # Lock the row: a reviewer's decision or the threshold cannot slip between check and save.
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    check(rules.may_edit_idea(idea=locked, member=actor))
    fields: dict[str, list[str]] = {}
    _check_texts(fields, locked, title=title, summary=summary, body=body)
    if category is not _UNSET:
        locked.category = category
    tag_objects = tags_from_names(tags, fields) if tags is not _UNSET else None
    if not fields:
        if video_file or (video_url is not _UNSET and video_url):
            _apply_video(
                locked,
                video_file=video_file,
                video_url=None if video_url is _UNSET else video_url,
                fields=fields,
            )
        elif video_url is not _UNSET:  # "" removes the video
            _remove_video(locked)
    if not fields:
        if cover:
            _apply_cover(locked, cover=cover, fields=fields)
        elif remove_cover:
            _remove_cover(locked)
    fail(fields)
    locked.body_html = render_markdown(locked.body)
    locked.save()
    if tag_objects is not None:
        locked.tags.set(tag_objects)
    return locked


@transaction.atomic
def idea_publish(*, idea: Idea, actor) -> Idea:
    """The creator opens their draft for voting for ``VOTING_WINDOW_DAYS``."""
    check(rules.may_publish_idea(idea=idea, member=actor))
    now = timezone.now()
    deadline = now + timedelta(days=settings.VOTING_WINDOW_DAYS)
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.VOTING,
        actor=actor,
        reason=said(phrases.PUBLISHED),
        published_at=now,
        voting_deadline=deadline,
    )
    notify(
        recipients=[idea.creator],
        kind="idea_published",
        message=said(
            phrases.IDEA_OPEN_NOTICE,
            title=idea.title,
            deadline=day(deadline.date()),
        ),
        url=idea.get_absolute_url(),
        email=False,  # they just did it themselves
    )
    idea_published(idea=idea)
    return idea


@transaction.atomic
def idea_withdraw(*, idea: Idea, actor, reason: str = "") -> Idea:
    """The creator takes back their idea while it is a draft or in voting."""
    check(rules.may_withdraw_idea(idea=idea, member=actor))
    reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.WITHDRAWN,
        actor=actor,
        reason=reason or said(phrases.WITHDRAWN),
    )
    notify(
        recipients=selectors.idea_voters(idea=idea, exclude=actor),
        kind="idea_withdrawn",
        message=said(
            phrases.IDEA_WITHDRAWN_NOTICE,
            title=idea.title,
        ),
        url=idea.get_absolute_url(),
    )
    return idea
