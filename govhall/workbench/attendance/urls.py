from django.urls import path

from govhall.workbench.attendance import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("attendance/", views.attendance_day, name="attendance"),
    path("attendance/sign-in/", views.attendance_sign_in_view, name="attendance_sign_in"),
    path(
        "attendance/sign-out/",
        views.attendance_sign_out_view,
        name="attendance_sign_out",
    ),
    path(
        "attendance/<int:attendance_id>/explain/",
        views.attendance_explain_view,
        name="attendance_explain",
    ),
    path(
        "attendance/explanations/",
        views.attendance_explanations,
        name="attendance_explanations",
    ),
    path(
        "attendance/explanations/<int:explanation_id>/<slug:action>/",
        views.attendance_explanation_decide_view,
        name="attendance_explanation_decide",
    ),
    path("attendance/month/", views.attendance_month, name="attendance_month"),
    path("attendance/month/export/", views.attendance_export, name="attendance_export"),
    path(
        "attendance/centers/<int:center_id>/close-day/",
        views.attendance_close_day_view,
        name="attendance_close_day",
    ),
]
