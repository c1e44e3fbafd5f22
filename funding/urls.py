from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("review/", views.review_queue, name="review_queue"),
    path("review/ideas/<id:idea_id>/decide/", views.review_decide_view, name="review_decide"),
    path(
        "review/ideas/<id:idea_id>/close-funding/",
        views.close_funding_view,
        name="close_funding",
    ),
    path("ideas/<id:idea_id>/pledge/", views.pledge_confirm_view, name="pledge_confirm"),
    path("ideas/<id:idea_id>/pledge/change/", views.pledge_change_view, name="pledge_change"),
    path("ideas/<id:idea_id>/pledge/cancel/", views.pledge_cancel_view, name="pledge_cancel"),
]
