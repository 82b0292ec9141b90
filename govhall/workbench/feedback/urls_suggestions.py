from django.urls import path

from govhall.workbench.feedback import views_suggestions

# Suggestion box and message book (issue 15 item 5); URL names are joined into the "workbench"
# namespace by workbench/urls.py.
urlpatterns = [
    path("feedback/suggestions/", views_suggestions.suggestions, name="suggestions"),
    path("feedback/suggestions/new/", views_suggestions.suggestion_new, name="suggestion_new"),
    path(
        "feedback/suggestions/month/", views_suggestions.suggestion_month, name="suggestion_month"
    ),
    path(
        "feedback/suggestions/<int:suggestion_id>/",
        views_suggestions.suggestion_detail,
        name="suggestion",
    ),
]
