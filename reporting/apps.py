from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting and dashboards"

    def ready(self):
        # Here rather than at the top: the sources read models, which are not loaded while
        # AppConfig classes are. Registered at start-up, since a Celery worker that never loads
        # the URLs must still know them.
        from csafe.exports.registry import register

        from .exports.census import CENSUS_CSV, CENSUS_XML
        from .exports.drill import DRILL_EXPORT

        for source in (DRILL_EXPORT, CENSUS_CSV, CENSUS_XML):
            register(source)
