from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "govhall.api"
    label = "govhall_api"
    verbose_name = "API"
