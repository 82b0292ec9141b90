from django.urls import path

from govhall.workbench import views_presence

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("staffing/on-duty/", views_presence.on_duty, name="on_duty"),
    path("staffing/away/", views_presence.my_absence, name="my_absence"),
    path(
        "staffing/away/<int:absence_id>/approve/",
        views_presence.absence_approve_view,
        name="absence_approve",
    ),
    path("staffing/delegations/", views_presence.delegations, name="delegations"),
    path(
        "staffing/delegations/<int:delegation_id>/",
        views_presence.delegation,
        name="delegation",
    ),
    path("staffing/empty-posts/", views_presence.vacancies, name="vacancies"),
]
