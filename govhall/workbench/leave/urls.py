from django.urls import path

from govhall.workbench.leave import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("leave/", views.leaves, name="leaves"),
    path("leave/calendar/", views.leave_calendar, name="leave_calendar"),
    path(
        "leave/<int:leave_id>/approve/",
        views.leave_decide,
        {"decision": "approve"},
        name="leave_approve",
    ),
    path(
        "leave/<int:leave_id>/reject/",
        views.leave_decide,
        {"decision": "reject"},
        name="leave_reject",
    ),
    path("leave/<int:leave_id>/cancel/", views.leave_cancel_view, name="leave_cancel"),
]
