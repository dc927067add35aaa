"""API for context records, one module per part; each lists its routes in ``urlpatterns``."""
