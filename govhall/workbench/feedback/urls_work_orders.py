"""Workbench pages of the 12345 hotline work orders (issue 15 item 4)."""

from django.urls import URLPattern, path

from govhall.workbench.feedback import views_work_orders as views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns: list[URLPattern] = [
    path("feedback/work-orders/", views.work_orders, name="work_orders"),
    path("feedback/work-orders/new/", views.work_order_new, name="work_order_new"),
    path("feedback/work-orders/<int:order_id>/", views.work_order_detail, name="work_order"),
    path(
        "feedback/work-orders/deliveries/",
        views.webhook_deliveries,
        name="webhook_deliveries",
    ),
    path(
        "feedback/work-orders/deliveries/<int:delivery_id>/retry/",
        views.webhook_delivery_retry_view,
        name="webhook_delivery_retry",
    ),
]
