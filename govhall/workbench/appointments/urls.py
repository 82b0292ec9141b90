"""Workbench pages of the front desk: appointments (issue #4)."""

from django.urls import path

from govhall.workbench.appointments import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("appointments/", views.day_sheet_view, name="appointments"),
    path("appointments/list/", views.appointment_list_view, name="appointment_list"),
    path("appointments/book/", views.appointment_book_view, name="appointment_book"),
    path("appointments/requests/", views.requests_view, name="appointment_requests"),
    path("appointments/outage/", views.outage_view, name="appointment_outage"),
    path("appointments/rates/", views.rates_view, name="appointment_rates"),
    path("appointments/<int:appointment_id>/", views.appointment_detail, name="appointment"),
    path(
        "appointments/<int:appointment_id>/cancel/",
        views.appointment_cancel_view,
        name="appointment_cancel",
    ),
    path(
        "appointments/<int:appointment_id>/served/",
        views.appointment_served_view,
        name="appointment_served",
    ),
    path(
        "appointments/<int:appointment_id>/approve/",
        views.appointment_decide_view,
        {"decision": "approve"},
        name="appointment_approve",
    ),
    path(
        "appointments/<int:appointment_id>/reject/",
        views.appointment_decide_view,
        {"decision": "reject"},
        name="appointment_reject",
    ),
]
