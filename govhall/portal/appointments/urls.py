"""Public front-desk pages: appointments (issue #4)."""

from django.urls import URLPattern, path

from govhall.portal.appointments import views

urlpatterns: list[URLPattern] = [
    path("appointments/", views.centers, name="appointments"),
    path("appointments/mine/", views.mine, name="appointment_mine"),
    path("appointments/booked/", views.booked, name="appointment_booked"),
    path("appointments/c/<str:code>/", views.center_groups, name="appointment_center"),
    path("appointments/c/<str:code>/<str:letter>/", views.group_days, name="appointment_group"),
    path("appointments/c/<str:code>/<str:letter>/book/", views.book, name="appointment_book"),
    path(
        "appointments/c/<str:code>/<str:letter>/off-hours/",
        views.off_hours,
        name="appointment_off_hours",
    ),
]
