from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting and dashboards"

    def ready(self):
        # Export sources register themselves on import; a Celery worker that never loads the URLs
        # must still know them.
        from . import census  # noqa: F401
        from .selectors import drill  # noqa: F401
