from django.urls import path

from govhall.workbench.feedback import views_bad_ratings as views

# The bad-rating inbox (差评 follow-up, issue 15 item 1); URL names are joined into the
# "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("feedback/bad-ratings/", views.bad_ratings, name="bad_ratings"),
    path("feedback/bad-ratings/targets/", views.bad_rating_targets, name="bad_rating_targets"),
    path("feedback/bad-ratings/<int:rating_id>/", views.bad_rating_detail, name="bad_rating"),
    path(
        "feedback/bad-ratings/<int:rating_id>/<str:action>/",
        views.bad_rating_act,
        name="bad_rating_action",
    ),
]
