from django.apps import AppConfig


class HarmsConfig(AppConfig):
    name = "harms"
    verbose_name = "Harm taxonomy and harm flags"
