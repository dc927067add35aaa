from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "csafe.notifications"
    label = "notifications"
    verbose_name = "Notifications"
