"""Context records API (links): to be written."""

urlpatterns: list = []
