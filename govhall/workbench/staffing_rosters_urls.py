from django.urls import path

from govhall.workbench import views_rosters

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("staffing/rosters/", views_rosters.rosters, name="rosters"),
    path("staffing/leader-visits/", views_rosters.leader_visits, name="leader_visits"),
    path("staffing/assignments/", views_rosters.assignments, name="assignments"),
    path(
        "staffing/return-warnings/",
        views_rosters.return_warnings_page,
        name="return_warnings",
    ),
]
