from django.urls import path

from govhall.workbench.conduct import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("staffing/conduct/", views.conduct_code, name="conduct_code"),
    path("staffing/conduct/print/", views.conduct_print, name="conduct_print"),
    path("staffing/conduct/read/", views.conduct_acknowledge_page, name="conduct_acknowledge"),
    path("staffing/conduct/reads/", views.conduct_reads, name="conduct_reads"),
    path(
        "staffing/conduct/lines/<int:rule_id>/",
        views.conduct_rule_action,
        name="conduct_rule_action",
    ),
    path("staffing/badges/", views.badges, name="badges"),
    path("staffing/badges/<int:badge_id>/card/", views.badge_card_page, name="badge_card"),
]
