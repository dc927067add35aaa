from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "csafe.audit"
    label = "audit"
    verbose_name = "Audit"
