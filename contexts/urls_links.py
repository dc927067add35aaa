"""Pages for context records (links)."""

urlpatterns: list = []
