from django.urls import path

from govhall.workbench import views_attendance

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("attendance/", views_attendance.attendance_day, name="attendance"),
    path(
        "attendance/sign-in/", views_attendance.attendance_sign_in_view, name="attendance_sign_in"
    ),
    path(
        "attendance/sign-out/",
        views_attendance.attendance_sign_out_view,
        name="attendance_sign_out",
    ),
    path("attendance/month/", views_attendance.attendance_month, name="attendance_month"),
    path("attendance/month/export/", views_attendance.attendance_export, name="attendance_export"),
    path(
        "attendance/centers/<int:center_id>/close-day/",
        views_attendance.attendance_close_day_view,
        name="attendance_close_day",
    ),
]
