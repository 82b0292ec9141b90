from django.urls import path

from govhall.workbench.presence import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("staffing/on-duty/", views.on_duty, name="on_duty"),
    path("staffing/away/", views.my_absence, name="my_absence"),
    path(
        "staffing/away/<int:absence_id>/approve/",
        views.absence_approve_view,
        name="absence_approve",
    ),
    path("staffing/delegations/", views.delegations, name="delegations"),
    path(
        "staffing/delegations/<int:delegation_id>/",
        views.delegation,
        name="delegation",
    ),
    path("staffing/empty-posts/", views.vacancies, name="vacancies"),
]
