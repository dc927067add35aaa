"""csafe: case management for children's social care built around Contextual Safeguarding."""

from .celery import app as celery_app

__all__ = ("celery_app",)
