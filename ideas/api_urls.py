from django.urls import path

from . import api

urlpatterns = [
    path("ideas/", api.IdeaListApi.as_view(), name="api-ideas"),
    path("ideas/<id:idea_id>/", api.IdeaDetailApi.as_view(), name="api-idea"),
    path("ideas/<id:idea_id>/publish/", api.IdeaPublishApi.as_view(), name="api-idea-publish"),
    path("ideas/<id:idea_id>/withdraw/", api.IdeaWithdrawApi.as_view(), name="api-idea-withdraw"),
    path("ideas/<id:idea_id>/flag/", api.IdeaFlagApi.as_view(), name="api-idea-flag"),
    path("ideas/<id:idea_id>/hide/", api.IdeaHideApi.as_view(), name="api-idea-hide"),
    path(
        "ideas/<id:idea_id>/unhide/",
        api.IdeaUnhideApi.as_view(),
        name="api-idea-unhide",
    ),
    path("ideas/<id:idea_id>/comments/", api.IdeaCommentsApi.as_view(), name="api-idea-comments"),
    path(
        "comments/<id:comment_id>/accept/",
        api.CommentAcceptApi.as_view(),
        name="api-comment-accept",
    ),
    path("comments/<id:comment_id>/flag/", api.CommentFlagApi.as_view(), name="api-comment-flag"),
    path("comments/<id:comment_id>/hide/", api.CommentHideApi.as_view(), name="api-comment-hide"),
    path(
        "comments/<id:comment_id>/unhide/",
        api.CommentUnhideApi.as_view(),
        name="api-comment-unhide",
    ),
    path("markdown/preview/", api.MarkdownPreviewApi.as_view(), name="api-markdown-preview"),
    path("categories/", api.CategoryListApi.as_view(), name="api-categories"),
]
