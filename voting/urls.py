from django.urls import path

from . import views

app_name = "voting"
urlpatterns = [
    path("review/ideas/<id:idea_id>/votes/", views.vote_record, name="vote_record"),
    path("review/votes/", views.held_queue, name="held"),
    path("review/votes/<id:idea_id>/", views.held_decide, name="held_decide"),
    path("votes/mine/", views.my_votes, name="mine"),
]
