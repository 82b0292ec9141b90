from django.urls import path

from govhall.workbench.calendar import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("calendar/", views.calendar_year, name="calendar"),
    path("calendar/compute/", views.calendar_compute, name="calendar_compute"),
    path(
        "calendar/centers/<int:center_id>/days/",
        views.center_day_add,
        name="calendar_day_add",
    ),
    path(
        "calendar/centers/<int:center_id>/days/<str:day>/remove/",
        views.center_day_delete,
        name="calendar_day_remove",
    ),
    path("calendar/schedules/import/", views.schedule_import_page, name="calendar_import"),
    path(
        "calendar/schedules/<int:year>/remove/",
        views.schedule_delete,
        name="calendar_schedule_remove",
    ),
]
