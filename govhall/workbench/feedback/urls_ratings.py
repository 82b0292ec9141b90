from django.urls import path

from govhall.workbench.feedback import views_ratings as views

# The rating office's pages (好差评, issue 15 item 1); URL names are joined into the "workbench"
# namespace by workbench/urls.py.
urlpatterns = [
    path("feedback/ratings/", views.ratings, name="ratings"),
    path("feedback/ratings/enter/", views.rating_enter, name="rating_enter"),
    path("feedback/ratings/<int:rating_id>/", views.rating_detail, name="rating"),
]
