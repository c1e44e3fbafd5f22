from django.urls import path

from . import api

urlpatterns = [
    path("ideas/<id:idea_id>/vote/", api.IdeaVoteApi.as_view(), name="idea-vote"),
    path("ideas/<id:idea_id>/votes/", api.IdeaVoteRecordApi.as_view(), name="idea-vote-record"),
]
