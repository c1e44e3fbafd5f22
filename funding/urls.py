from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("review/", views.review_queue, name="review_queue"),
    path("review/ideas/<int:idea_id>/decide/", views.review_decide_view, name="review_decide"),
    path(
        "review/ideas/<int:idea_id>/close-funding/",
        views.close_funding_view,
        name="close_funding",
    ),
]
