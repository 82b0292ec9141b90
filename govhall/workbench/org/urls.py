from django.urls import path

from govhall.workbench.org import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns = [
    path("centers/", views.centers, name="centers"),
    path("centers/<int:center_id>/", views.center_detail, name="center"),
    path("centers/<int:center_id>/edit/", views.center_edit, name="center_edit"),
    path("centers/<int:center_id>/centers/new/", views.center_create, name="center_create"),
    path(
        "centers/<int:center_id>/departments/new/",
        views.department_create,
        name="department_create",
    ),
    path("centers/<int:center_id>/windows/new/", views.window_create, name="window_create"),
    path("centers/<int:center_id>/staff/new/", views.staff_create, name="staff_create"),
    path("departments/", views.departments, name="departments"),
    path(
        "departments/<int:department_id>/edit/",
        views.department_edit,
        name="department_edit",
    ),
    path("windows/", views.windows, name="windows"),
    path("windows/<int:window_id>/edit/", views.window_edit, name="window_edit"),
    path("windows/<int:window_id>/posts/new/", views.post_create, name="post_create"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:staff_id>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:staff_id>/active/", views.staff_set_active, name="staff_set_active"),
]
