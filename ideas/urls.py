from django.urls import path

from . import views

app_name = "ideas"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("ideas/new/", views.idea_new, name="new"),
    path("ideas/<id:idea_id>/", views.idea_detail, name="detail"),
    path("ideas/<id:idea_id>/edit/", views.idea_edit, name="edit"),
    path("ideas/<id:idea_id>/publish/", views.idea_publish, name="publish"),
    path("ideas/<id:idea_id>/withdraw/", views.idea_withdraw, name="withdraw"),
    path("me/ideas/", views.my_ideas, name="mine"),
    path("review/moderation/", views.moderation, name="moderation"),
]
