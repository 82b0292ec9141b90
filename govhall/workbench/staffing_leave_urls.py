from django.urls import path

from govhall.workbench import views_leave

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("leave/", views_leave.leaves, name="leaves"),
    path("leave/calendar/", views_leave.leave_calendar, name="leave_calendar"),
    path(
        "leave/<int:leave_id>/approve/",
        views_leave.leave_decide,
        {"decision": "approve"},
        name="leave_approve",
    ),
    path(
        "leave/<int:leave_id>/reject/",
        views_leave.leave_decide,
        {"decision": "reject"},
        name="leave_reject",
    ),
    path("leave/<int:leave_id>/cancel/", views_leave.leave_cancel_view, name="leave_cancel"),
]
