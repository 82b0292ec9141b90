from django.urls import path

from govhall.workbench.feedback import views_petitions as views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("feedback/petitions/", views.petition_list_page, name="petitions"),
    path("feedback/petitions/new/", views.petition_register, name="petition_register"),
    path("feedback/petitions/receptions/", views.petition_receptions, name="petition_receptions"),
    path("feedback/petitions/<int:petition_id>/", views.petition_page, name="petition"),
    path(
        "feedback/petitions/<int:petition_id>/actions/<str:action>/",
        views.petition_action,
        name="petition_action",
    ),
    path(
        "feedback/petitions/<int:petition_id>/reception/",
        views.petition_reception,
        name="petition_reception",
    ),
    path(
        "feedback/petitions/<int:petition_id>/print/<str:kind>/",
        views.petition_print,
        name="petition_print",
    ),
]
