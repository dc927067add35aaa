from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "csafe.retention"
    label = "retention"
    verbose_name = "Retention review"
