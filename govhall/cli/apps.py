from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "govhall.cli"
    label = "cli"
    verbose_name = "CLI"
