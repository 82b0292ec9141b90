from django.urls import path

from govhall.workbench.feedback import views_screens

# Rating screens of the windows (评价器, issue 15 item 1); URL names are joined into the
# "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("feedback/screens/", views_screens.screens, name="rating_screens"),
    path(
        "feedback/screens/window/<int:window_id>/add/",
        views_screens.screen_add,
        name="rating_screen_add",
    ),
    path("feedback/screens/<int:screen_id>/", views_screens.screen_detail, name="rating_screen"),
    path(
        "feedback/screens/<int:screen_id>/code/",
        views_screens.screen_code,
        name="rating_screen_code",
    ),
    path(
        "feedback/screens/<int:screen_id>/revoke/",
        views_screens.screen_revoke,
        name="rating_screen_revoke",
    ),
]
