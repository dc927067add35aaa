from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"
    label = "retention"
    verbose_name = "Retention review"
