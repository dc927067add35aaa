"""Pages for context records (work)."""

urlpatterns: list = []
