"""The ideas and discussion API (SPEC section 7): ``ideas`` (the idea), ``discussion``
(comments and moderation), ``serializers`` (``…Input`` / ``…Output``)."""

from .discussion import (
    CategoryListApi,
    CommentAcceptApi,
    CommentFlagApi,
    CommentHideApi,
    IdeaCommentsApi,
    MarkdownPreviewApi,
)
from .ideas import (
    IdeaDetailApi,
    IdeaFlagApi,
    IdeaHideApi,
    IdeaListApi,
    IdeaPublishApi,
    IdeaWithdrawApi,
)

__all__ = [
    "CategoryListApi",
    "CommentAcceptApi",
    "CommentFlagApi",
    "CommentHideApi",
    "IdeaCommentsApi",
    "IdeaDetailApi",
    "IdeaFlagApi",
    "IdeaHideApi",
    "IdeaListApi",
    "IdeaPublishApi",
    "IdeaWithdrawApi",
    "MarkdownPreviewApi",
]
