from django.urls import path

from . import views

app_name = "voting"
urlpatterns = [
    path("review/ideas/<id:idea_id>/votes/", views.vote_record, name="vote_record"),
]
