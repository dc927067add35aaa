"""API for plans: to be written."""

urlpatterns: list = []
