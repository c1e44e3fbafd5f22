import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_lazy

from core.phrases import render

from .search import idea_search_words


def video_upload_to(instance, filename: str) -> str:
    """A random name: never the uploader's. The extension follows the detected type."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"videos/{uuid.uuid4().hex}{suffix}"


def cover_sibling(name: str, ext: str) -> str:
    """Where a cover JPEG's copy in another format is stored: beside it, another extension."""
    return name.rsplit(".", 1)[0] + f".{ext}"


def cover_upload_to(instance, filename: str) -> str:
    """Covers are re-encoded JPEGs with random names (core.images)."""
    return f"covers/{uuid.uuid4().hex}.jpg"


class Category(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    # Overrides VOTE_THRESHOLD for ideas in this category when set.
    vote_threshold = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        # Names are data, but the usual ones (the demo's) are in the translation catalog.
        return gettext(self.name)


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=40, unique=True, allow_unicode=True)  # 太阳能 too

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IdeaStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    VOTING = "voting", gettext_lazy("Voting")
    REVIEW = "review", gettext_lazy("In review")
    FUNDING = "funding", gettext_lazy("Funding")
    FUNDED = "funded", gettext_lazy("Funded")
    IN_PRODUCTION = "in_production", gettext_lazy("In production")
    LAUNCHED = "launched", gettext_lazy("Launched")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")
    EXPIRED = "expired", gettext_lazy("Expired")
    REJECTED = "rejected", gettext_lazy("Rejected")
    FUNDING_FAILED = "funding_failed", gettext_lazy("Funding failed")


class SearchWordsField(models.TextField):
    """The Chinese words of title, summary and body (``ideas.search.idea_search_words``), kept on
    every save and bulk insert (``pre_save``); PostgreSQL's generated ``search_vector`` reads
    them beside the text itself, so Chinese ideas are found by their words."""

    def pre_save(self, model_instance, add):
        value = idea_search_words(model_instance.title, model_instance.summary, model_instance.body)
        setattr(model_instance, self.attname, value)
        return value


def exact_vote_count():
    """The idea's votes, exact at every commit: the folded count plus its counter rows."""
    tallied = (
        VoteTally.objects.filter(idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(sum=Sum("votes"))
        .values("sum")
    )
    return F("votes_folded") + Coalesce(Subquery(tallied), 0)


def exact_vote_count_sql(idea: str) -> str:
    """``exact_vote_count`` in SQL, for the vote path's raw statements: ``idea`` is the SQL
    alias (or table name) of the idea row in the statement."""
    return (
        f"({idea}.vote_count + COALESCE((SELECT SUM(t.votes) FROM {VoteTally._meta.db_table} t "  # noqa: S608
        f"WHERE t.idea_id = {idea}.id), 0))"
    )


class IdeaManager(models.Manager):
    """Every idea read through ``Idea.objects`` carries its exact ``vote_count``."""

    def get_queryset(self):
        return super().get_queryset().annotate(vote_count=exact_vote_count())


class Idea(models.Model):
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas"
    )
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=280)
    body = models.TextField()
    body_html = models.TextField(editable=False, default="")  # rendered + sanitised on save
    search_words = SearchWordsField(editable=False, default="", db_default="")
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="ideas")
    status = models.CharField(
        max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.DRAFT, db_index=True
    )
    video_file = models.FileField(upload_to=video_upload_to, blank=True)
    video_mime = models.CharField(max_length=40, blank=True)
    video_url = models.URLField(blank=True)  # the YouTube / Vimeo link as given
    video_embed_url = models.URLField(blank=True)  # the privacy-friendly embed derived from it
    # The cover image at 400, 800 and 1600 px wide (16:9 JPEGs made by core.images; a smaller
    # original leaves the wider ones blank).
    cover_400 = models.FileField(upload_to=cover_upload_to, blank=True, db_default="")
    cover_800 = models.FileField(upload_to=cover_upload_to, blank=True, db_default="")
    cover_1600 = models.FileField(upload_to=cover_upload_to, blank=True, db_default="")
    cover_width = models.PositiveIntegerField(default=0, db_default=0)  # the widest's real width
    # The same sizes in smaller formats, stored beside each JPEG under its name with these
    # extensions ("avif webp"); covers made before have none.
    cover_formats = models.CharField(max_length=20, blank=True, db_default="")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    voting_deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    # The votes folded in from the idea's counter rows (VoteTally): exact together with them.
    # Read ``vote_count`` (below) for the number of votes; lists order by this column (and the
    # generated hot_score reads it), which lags the exact count by at most the fold interval.
    votes_folded = models.PositiveIntegerField(default=0, db_column="vote_count")
    # Visible comments, kept by comment_create / comment_hide so lists show it without a query.
    comment_count = models.PositiveIntegerField(default=0)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # The funding terms are the idea's funding.FundingRound (funding.selectors.round_of).

    objects = IdeaManager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            # The public lists: "new" and "top" walk these without sorting the table.
            models.Index(fields=["-published_at", "-id"], name="idea_published_idx"),
            models.Index(fields=["-votes_folded", "-id"], name="idea_votes_idx"),
            # Counting and filtering the public list reads this small index, not the wide rows.
            models.Index(
                fields=["status"],
                condition=Q(published_at__isnull=False, hidden_at__isnull=True),
                name="idea_public_status_idx",
            ),
        ]
        # PostgreSQL also has generated ``search_vector`` (GIN-indexed, migration 0003),
        # ``hot_score`` (0005) columns, both indexed; they are not model fields. (The
        # ``closes_at`` column of 0006 went with the funding terms in 0013.)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/ideas/{self.pk}/"

    @property
    def vote_count(self) -> int:
        """How many votes the idea has, exact at every commit (voting.services keeps it).

        ``Idea.objects`` reads it with the row; an idea reached another way (a relation, or
        ``refresh_from_db``) reads it once, on first use. An unsaved idea's count is its folded
        count, which setting ``vote_count`` sets.
        """
        try:
            return self.__dict__["_vote_count"]
        except KeyError:
            pass
        if self._state.adding:
            count = self.votes_folded
        else:
            count = (
                Idea.objects.filter(pk=self.pk).values_list("vote_count", flat=True).first() or 0
            )
        self.__dict__["_vote_count"] = count
        return count

    @vote_count.setter
    def vote_count(self, value: int) -> None:
        self.__dict__["_vote_count"] = value
        if self._state.adding:
            self.votes_folded = value

    def refresh_from_db(self, *args, **kwargs) -> None:
        self.__dict__.pop("_vote_count", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        """Published (not a draft) and not hidden by the moderators."""
        return self.published_at is not None and self.hidden_at is None

    @property
    def covers(self) -> list[tuple[str, int]]:
        """(url, width) of each size of the cover there is, narrowest first."""
        sizes = ((self.cover_400, 400), (self.cover_800, 800), (self.cover_1600, 1600))
        return [(f.url, min(slot, self.cover_width)) for f, slot in sizes if f]

    @property
    def cover_url(self) -> str:
        """The cover's src for browsers without srcset: 800 px wide, or the widest there is."""
        covers = self.covers
        return self.cover_800.url if self.cover_800 else (covers[-1][0] if covers else "")

    @property
    def cover_srcset(self) -> str:
        return ", ".join(f"{url} {width}w" for url, width in self.covers)

    @property
    def cover_sources(self) -> list[tuple[str, str]]:
        """(MIME type, srcset) of each smaller format there is, for <picture> sources."""
        sizes = ((self.cover_400, 400), (self.cover_800, 800), (self.cover_1600, 1600))
        return [
            (
                f"image/{ext}",
                ", ".join(
                    f"{f.storage.url(cover_sibling(f.name, ext))} {min(slot, self.cover_width)}w"
                    for f, slot in sizes
                    if f
                ),
            )
            for ext in self.cover_formats.split()
        ]

    @property
    def vote_threshold(self) -> int:
        if self.category_id and self.category.vote_threshold:
            return self.category.vote_threshold
        return settings.VOTE_THRESHOLD


class VoteTally(models.Model):
    """One of an idea's vote counter rows: the hot counter, kept out of the wide idea row.

    A vote adds one to its member's row (voting.services: the shard is the member's id modulo
    the number of rows) instead of rewriting the idea, so votes on one idea wait for each other
    only when they land on the same row. ``room`` is how many more votes the row may take
    without the idea's lock: voting.services spreads the votes left below the threshold over
    the rows, so the votes taken that way can never reach it, and the vote that does reach it
    holds the idea's lock and sees every vote. ``threshold`` is the threshold the room was
    spread for; if it changes, the rows take no vote until they are spread again. A job folds
    ``votes`` into ``Idea.votes_folded`` now and then (lists and hot_score read that column).
    """

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+", db_index=False)
    shard = models.PositiveSmallIntegerField()
    votes = models.IntegerField(default=0)  # since the last fold: a withdrawal may take it below 0
    room = models.PositiveIntegerField(default=0)
    threshold = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "shard"], name="one_vote_tally_per_shard")
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}/{self.shard}: {self.votes:+d} (room {self.room})"


class IdeaTransition(models.Model):
    """The append-only audit trail of an idea's states: who, when, why."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=IdeaStatus.choices)
    to_status = models.CharField(max_length=20, choices=IdeaStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )  # null: the platform itself (a deadline, the threshold)
    # A person's own words (a reviewer's reason); what the platform says is a phrase code and
    # its parameters (core.phrases), said in the reader's language. ``reason`` also keeps the
    # text of lines written before phrases that could not be read back into one.
    reason = models.TextField(blank=True)
    reason_code = models.CharField(max_length=60, blank=True, default="", db_default="")
    reason_params = models.JSONField(blank=True, default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One idea leaves a given state at most once per reaching it; the guard in
            # idea_transition() is a conditional UPDATE, this is the audit trail's own check.
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")), name="transition_changes_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_status} → {self.to_status}"

    @property
    def reason_text(self) -> str:
        """The reason in the current language (``core.phrases``), or as its author wrote it."""
        return render(self.reason_code, self.reason_params, self.reason)


# The discussion (comments) and its moderation (flags, moderation events) live in their own
# module; imported here so Django registers them and ``ideas.models`` stays the one place to
# import every ideas model from.
from .discussion_models import (  # noqa: E402, F401
    Comment,
    Flag,
    FlagStatus,
    ModerationAction,
    ModerationEvent,
)
