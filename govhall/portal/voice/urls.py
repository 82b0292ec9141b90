"""Public pages of the suggestion box, message wall and satisfaction survey (issue 15)."""

from django.urls import URLPattern, path

from govhall.portal.voice import views

urlpatterns: list[URLPattern] = [
    path("voice/suggest/", views.suggestion_new, name="suggestion_new"),
    path("voice/suggestions/<str:token>/", views.suggestion_follow, name="suggestion_follow"),
    path("voice/wall/", views.wall, name="message_wall"),
    path("voice/surveys/<str:token>/", views.survey, name="survey"),
    path("voice/surveys/<str:token>/thanks/", views.survey_thanks, name="survey_thanks"),
]
