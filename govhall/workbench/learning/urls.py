from django.urls import path

from govhall.workbench.learning import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("learning/sessions/", views.study_sessions, name="study_sessions"),
    path("learning/sessions/new/", views.study_session_new, name="study_session_new"),
    path("learning/sessions/<int:session_id>/", views.study_session, name="study_session"),
    path(
        "learning/sessions/<int:session_id>/register/",
        views.study_register,
        name="study_register",
    ),
    path("learning/sessions/<int:session_id>/notes/", views.study_notes, name="study_notes"),
    path("learning/sessions/<int:session_id>/archive/", views.study_archive, name="study_archive"),
    path(
        "learning/sessions/<int:session_id>/print/",
        views.study_register_print,
        name="study_register_print",
    ),
    path("learning/trainings/", views.trainings, name="trainings"),
    path("learning/trainings/<int:event_id>/", views.training, name="training"),
    path("learning/mine/", views.my_learning, name="my_learning"),
]
