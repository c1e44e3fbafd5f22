from django.urls import path

from . import api

urlpatterns = [
    path("ideas/<id:idea_id>/follow/", api.IdeaFollowApi.as_view(), name="idea-follow"),
    path("ideas/<id:idea_id>/updates/", api.IdeaUpdatesApi.as_view(), name="idea-updates"),
    path("members/<str:username>/", api.MemberProfileApi.as_view(), name="member-profile"),
    path("members/<str:username>/follow/", api.MemberFollowApi.as_view(), name="member-follow"),
    path(
        "me/notification-settings/",
        api.NotificationSettingsApi.as_view(),
        name="notification-settings",
    ),
]
