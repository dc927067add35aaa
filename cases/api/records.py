"""API for records: to be written."""

urlpatterns: list = []
