"""Context records API (work): to be written."""

urlpatterns: list = []
