from django.urls import path

from govhall.workbench.patrols import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("supervision/patrols/", views.patrol_rounds, name="patrols"),
    path("supervision/patrols/summary/", views.patrol_summary, name="patrol_summary"),
    path(
        "supervision/patrols/summary.xlsx",
        views.patrol_summary_xlsx,
        name="patrol_summary_xlsx",
    ),
    path("supervision/patrols/<int:round_id>/", views.patrol_round, name="patrol_round"),
    path(
        "supervision/patrols/<int:round_id>/windows/<int:window_id>/",
        views.patrol_window,
        name="patrol_window",
    ),
    path(
        "supervision/patrols/findings/<int:finding_id>/photo/",
        views.patrol_photo,
        name="patrol_photo",
    ),
]
