"""Context records API (core): to be written."""

urlpatterns: list = []
