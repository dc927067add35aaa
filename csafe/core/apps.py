from django.apps import AppConfig

from .converters import register


class CoreConfig(AppConfig):
    name = "csafe.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # Here rather than in csafe/urls.py: an app's URL module may be imported before the
        # root URLconf (the API's viewsets build their patterns when first imported), and a
        # pattern naming an unregistered converter fails as it is made.
        register()
