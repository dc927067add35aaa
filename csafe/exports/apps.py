from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Export jobs: any app registers its ExportSources here from its own AppConfig.ready, and
    this app answers short exports at once, runs long ones in the background and hands over
    their files. It imports no domain app."""

    name = "csafe.exports"
    label = "exports"
    verbose_name = "Exports"
