from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Invented people for the demo (``load_demo``) and at the size of a council
    (``load_scale_data``). It writes through every domain app, so it sits above them all."""

    name = "demo"
    label = "demo"
    verbose_name = "Demo and scale data"
