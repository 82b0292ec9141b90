"""Workbench pages of service beyond the counter (issue 21 item 6)."""

from django.urls import path

from govhall.workbench.outreach import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path(
        "frontdesk/queue/windows/<int:window_id>/finish-line/",
        views.finish_line,
        name="queue_finish_line",
    ),
    path("frontdesk/overtime/", views.overtime_list, name="overtime_list"),
    path("frontdesk/overtime/<int:overtime_id>/end/", views.end_overtime, name="overtime_end"),
    path("frontdesk/home-visits/", views.visit_list, name="home_visits"),
    path("frontdesk/home-visits/new/", views.visit_new, name="home_visit_new"),
    path("frontdesk/home-visits/<int:visit_id>/", views.visit_detail, name="home_visit"),
    path(
        "frontdesk/home-visits/<int:visit_id>/<str:action>/",
        views.visit_act,
        name="home_visit_act",
    ),
    path("frontdesk/key-projects/", views.project_list, name="key_projects"),
    path("frontdesk/key-projects/new/", views.project_new, name="key_project_new"),
    path("frontdesk/key-projects/<int:project_id>/", views.project_detail, name="key_project"),
    path(
        "appointments/<int:appointment_id>/reassign/",
        views.appointment_reassign_view,
        name="appointment_reassign",
    ),
    path(
        "appointments/<int:appointment_id>/cannot-serve/",
        views.appointment_cannot_serve_view,
        name="appointment_cannot_serve",
    ),
]
