from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "csafe.core"
    label = "core"
    verbose_name = "Core"
