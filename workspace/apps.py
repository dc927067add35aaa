from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """What a member of staff meets first and moves around by: the home page, the service
    navigation and the page shell. It composes every domain app, so it sits above them all."""

    name = "workspace"
    label = "workspace"
    verbose_name = "Workspace"

    def ready(self):
        # Here rather than at the top: the source reads models, which are not loaded while
        # AppConfig classes are. Registered at start-up, since a Celery worker that never loads
        # the URLs must still know it.
        from csafe.exports.registry import register

        from .subject_access import SUBJECT_ACCESS_EXPORT

        register(SUBJECT_ACCESS_EXPORT)
