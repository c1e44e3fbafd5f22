"""The ideas and discussion API (SPEC section 7): ``ideas`` (the idea), ``discussion``
(comments and moderation), ``serializers`` (``…Input`` / ``…Output``)."""

from .discussion import (
    CategoryListApi,
    CommentAcceptApi,
    CommentFlagApi,
    CommentHideApi,
    CommentUnhideApi,
    IdeaCommentsApi,
    MarkdownPreviewApi,
)
from .ideas import (
    IdeaDetailApi,
    IdeaFlagApi,
    IdeaHideApi,
    IdeaListApi,
    IdeaPublishApi,
    IdeaUnhideApi,
    IdeaWithdrawApi,
)

__all__ = [
    "CategoryListApi",
    "CommentAcceptApi",
    "CommentFlagApi",
    "CommentHideApi",
    "CommentUnhideApi",
    "IdeaCommentsApi",
    "IdeaDetailApi",
    "IdeaFlagApi",
    "IdeaHideApi",
    "IdeaListApi",
    "IdeaPublishApi",
    "IdeaUnhideApi",
    "IdeaWithdrawApi",
    "MarkdownPreviewApi",
]
