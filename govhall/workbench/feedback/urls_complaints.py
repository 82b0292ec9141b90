from django.urls import path

from govhall.workbench.feedback import views_complaints as views

# Complaints (投诉, issue 15 item 2); URL names are joined into the "workbench" namespace by
# workbench/urls.py.
urlpatterns = [
    path("feedback/complaints/", views.complaints, name="complaints"),
    path("feedback/complaints/new/", views.complaint_new, name="complaint_new"),
    path("feedback/complaints/assigned/", views.complaints_assigned, name="complaints_assigned"),
    path("feedback/complaints/<int:complaint_id>/", views.complaint_detail, name="complaint"),
    path(
        "feedback/complaints/<int:complaint_id>/slip/",
        views.complaint_slip,
        name="complaint_slip",
    ),
    path(
        "feedback/complaints/<int:complaint_id>/letter/",
        views.complaint_letter,
        name="complaint_letter",
    ),
    path(
        "feedback/complaints/<int:complaint_id>/<str:action>/",
        views.complaint_act,
        name="complaint_act",
    ),
]
