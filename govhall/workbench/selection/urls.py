from django.urls import path

from govhall.workbench.selection import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("staffing/selections/", views.selection_list, name="selections"),
    path("staffing/selections/nominate/", views.selection_nominate_page, name="selection_nominate"),
    path("staffing/selections/<int:selection_id>/", views.selection_detail, name="selection"),
    path(
        "staffing/selections/<int:selection_id>/act/<str:action>/",
        views.selection_act,
        name="selection_act",
    ),
    path(
        "staffing/selections/<int:selection_id>/readiness/",
        views.readiness_page,
        name="selection_readiness",
    ),
    path(
        "staffing/selections/<int:selection_id>/form/",
        views.registration_form,
        name="selection_form",
    ),
    path(
        "staffing/trials/<int:assignment_id>/decide/",
        views.trial_decide_page,
        name="trial_decide",
    ),
]
