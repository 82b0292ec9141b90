from django.urls import path

from govhall.workbench import views_org

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("centers/", views_org.centers, name="centers"),
    path("centers/<int:center_id>/", views_org.center_detail, name="center"),
    path("centers/<int:center_id>/edit/", views_org.center_edit, name="center_edit"),
    path("centers/<int:center_id>/centers/new/", views_org.center_create, name="center_create"),
    path(
        "centers/<int:center_id>/departments/new/",
        views_org.department_create,
        name="department_create",
    ),
    path("centers/<int:center_id>/windows/new/", views_org.window_create, name="window_create"),
    path("centers/<int:center_id>/staff/new/", views_org.staff_create, name="staff_create"),
    path("departments/", views_org.departments, name="departments"),
    path(
        "departments/<int:department_id>/edit/",
        views_org.department_edit,
        name="department_edit",
    ),
    path("windows/", views_org.windows, name="windows"),
    path("windows/<int:window_id>/edit/", views_org.window_edit, name="window_edit"),
    path("windows/<int:window_id>/posts/new/", views_org.post_create, name="post_create"),
    path("posts/<int:post_id>/edit/", views_org.post_edit, name="post_edit"),
    path("staff/", views_org.staff, name="staff"),
    path("staff/<int:staff_id>/edit/", views_org.staff_edit, name="staff_edit"),
    path("staff/<int:staff_id>/active/", views_org.staff_set_active, name="staff_set_active"),
]
