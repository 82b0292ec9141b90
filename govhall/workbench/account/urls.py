from django.urls import path

from govhall.workbench.account import views

urlpatterns = [
    path(
        "account/password/",
        views.PasswordChangeView.as_view(),
        name="account_password",
    ),
    path("account/two-step/", views.otp_setup, name="account_otp_setup"),
    path("account/two-step/verify/", views.otp_verify, name="account_otp_verify"),
    path("account/logins/", views.login_history, name="account_logins"),
    path(
        "staff/<int:staff_id>/two-step/",
        views.otp_reset_page,
        name="account_otp_reset",
    ),
    path(
        "staff/<int:staff_id>/two-step/reset/",
        views.otp_reset,
        name="account_otp_reset_do",
    ),
]
