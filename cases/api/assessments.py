"""API for assessments: to be written."""

urlpatterns: list = []
