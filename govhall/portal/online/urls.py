from django.urls import path

from govhall.portal.online import views

urlpatterns = [
    path("account/login/", views.login, name="online_login"),
    path("account/register/", views.register, name="online_register"),
    path(
        "account/register/enterprise/",
        views.register_enterprise,
        name="online_register_enterprise",
    ),
    path("account/reset/", views.reset, name="online_reset"),
    path("account/logout/", views.logout, name="online_logout"),
    path("account/", views.account_page, name="online_account"),
    path("account/devices/end/", views.account_end_others, name="online_end_others"),
    path("account/agents/add/", views.account_agent_add, name="online_agent_add"),
    path(
        "account/agents/<int:agent_id>/remove/",
        views.account_agent_remove,
        name="online_agent_remove",
    ),
    path("account/act-for/", views.account_act_for, name="online_act_for"),
]
