from django.urls import path

from govhall.workbench.feedback import views_surveys

# Satisfaction surveys (issue 15 item 6); URL names are joined into the "workbench" namespace by
# workbench/urls.py.
urlpatterns = [
    path("feedback/surveys/", views_surveys.surveys, name="surveys"),
    path("feedback/surveys/new/", views_surveys.survey_new, name="survey_new"),
    path("feedback/surveys/<int:survey_id>/", views_surveys.survey_detail, name="survey"),
    path("feedback/surveys/<int:survey_id>/edit/", views_surveys.survey_edit, name="survey_edit"),
    path(
        "feedback/surveys/<int:survey_id>/results.xlsx",
        views_surveys.survey_xlsx,
        name="survey_xlsx",
    ),
]
