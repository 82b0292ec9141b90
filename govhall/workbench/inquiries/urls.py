"""Workbench pages of the front desk: first inquiries (首问负责制, issue #4)."""

from django.urls import URLPattern, path

from govhall.workbench.inquiries import views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns: list[URLPattern] = [
    path("frontdesk/inquiries/", views.inquiries, name="inquiries"),
    path("frontdesk/inquiries/log/", views.inquiry_log_view, name="inquiry_log"),
    path(
        "frontdesk/inquiries/follow-ups/",
        views.my_follow_ups,
        name="inquiry_follow_ups",
    ),
    path("frontdesk/inquiries/transfers/", views.transfers, name="inquiry_transfers"),
    path(
        "frontdesk/inquiries/phone-book/",
        views.phone_record_book,
        name="inquiry_phone_book",
    ),
    path("frontdesk/inquiries/rates/", views.inquiry_rates, name="inquiry_rates"),
    path("frontdesk/inquiries/<int:inquiry_id>/", views.inquiry_detail, name="inquiry"),
    path(
        "frontdesk/inquiries/<int:inquiry_id>/acknowledge/",
        views.acknowledge,
        name="inquiry_acknowledge",
    ),
    path(
        "frontdesk/inquiries/<int:inquiry_id>/finish/",
        views.finish,
        name="inquiry_finish",
    ),
]
