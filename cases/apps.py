from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Young people and their cases"

    def ready(self):
        # The subject access export registers itself on import; a Celery worker that never
        # loads the URLs must still know it.
        from . import subject_access  # noqa: F401
