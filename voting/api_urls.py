from django.urls import path

from . import api

urlpatterns = [
    path("ideas/<id:idea_id>/vote/", api.IdeaVoteApi.as_view(), name="idea-vote"),
    path("ideas/<id:idea_id>/votes/", api.IdeaVoteRecordApi.as_view(), name="idea-vote-record"),
    path("me/votes/", api.MyVotesApi.as_view(), name="my-votes"),
    path("votes/held/", api.HeldIdeasApi.as_view(), name="votes-held"),
    path(
        "ideas/<id:idea_id>/vote-clusters/void/",
        api.VoteClusterVoidApi.as_view(),
        name="vote-cluster-void",
    ),
    path(
        "ideas/<id:idea_id>/vote-hold/release/",
        api.VoteHoldReleaseApi.as_view(),
        name="vote-hold-release",
    ),
]
