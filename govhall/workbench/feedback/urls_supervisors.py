from django.urls import path

from govhall.workbench.feedback import views_supervisors

# Social supervisors (issue 15 item 6); URL names are joined into the "workbench" namespace by
# workbench/urls.py.
urlpatterns = [
    path("feedback/supervisors/", views_supervisors.appointments, name="supervisor_appointments"),
    path(
        "feedback/supervisors/<int:appointment_id>/",
        views_supervisors.appointment_detail,
        name="supervisor_appointment",
    ),
    path("feedback/supervisors/records/", views_supervisors.records, name="supervisor_records"),
    path(
        "feedback/supervisors/records/<int:visit_id>/",
        views_supervisors.record_detail,
        name="supervisor_record",
    ),
    path("feedback/my-supervision/", views_supervisors.my_supervision, name="my_supervision"),
]
