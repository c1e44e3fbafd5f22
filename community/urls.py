from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("ideas/<id:idea_id>/follow/", views.idea_follow, name="idea-follow"),
    path("ideas/<id:idea_id>/updates/", views.idea_update_new, name="idea-update"),
    path("members/<str:username>/", views.profile, name="profile"),
    path("members/<str:username>/follow/", views.member_follow, name="member-follow"),
]
