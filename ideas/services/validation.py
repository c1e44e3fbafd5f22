"""Input checks shared by the ideas services: one message convention (ValidationFailed)."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from core.errors import ValidationFailed

from ..models import Tag
from ..search import tag_slug

MAX_TAGS = 8
TAG_MAX_LENGTH = 40
TITLE_MAX_LENGTH = 120
SUMMARY_MAX_LENGTH = 280
COMMENT_MAX_LENGTH = 10_000
BODY_MAX_LENGTH = 50_000
REASON_MAX_LENGTH = 500


def fail(fields: dict[str, list[str]]) -> None:
    """Raise the collected field messages, if any."""
    if fields:
        raise ValidationFailed.for_fields(fields)


def check_text(fields: dict, name: str, value, *, max_length: int, label: str) -> str:
    """``value`` stripped; a sentence saying what to do is added to ``fields`` if it is wrong."""
    if not isinstance(value, str) or not value.strip():
        fields[name] = [gettext("Enter %(label)s.") % {"label": label}]
        return ""
    value = value.strip()
    if len(value) > max_length:
        fields[name] = [
            gettext("Shorten %(label)s to %(max_length)s characters (it has %(length)s).")
            % {"label": label, "max_length": max_length, "length": len(value)}
        ]
    return value


def check_reason(reason) -> str:
    fields: dict[str, list[str]] = {}
    value = check_text(
        fields, "reason", reason, max_length=REASON_MAX_LENGTH, label=gettext("a reason")
    )
    fail(fields)
    return value


def tags_from_names(names: Iterable[str], fields: dict) -> list[Tag]:
    """The tags named (created when new); a message in ``fields`` if there are too many."""
    cleaned: dict[str, str] = {}
    for raw in names:
        name = " ".join(str(raw).split())
        if len(name) > TAG_MAX_LENGTH:
            fields["tags"] = [
                gettext("Keep each tag to %(TAG_MAX_LENGTH)s characters: “%(value)s…” is longer.")
                % {"TAG_MAX_LENGTH": TAG_MAX_LENGTH, "value": name[:20]}
            ]
            return []
        slug = tag_slug(name)
        if not slug:
            continue
        cleaned.setdefault(slug, name)
    if len(cleaned) > MAX_TAGS:
        fields["tags"] = [gettext("Give at most %(MAX_TAGS)s tags.") % {"MAX_TAGS": MAX_TAGS}]
        return []
    tags = []
    for slug, name in cleaned.items():
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(slug=slug, name=name.lower())
            except IntegrityError:  # created meanwhile by someone else, or the name exists
                tag = Tag.objects.filter(slug=slug).first() or Tag.objects.get(name=name.lower())
        tags.append(tag)
    return tags
