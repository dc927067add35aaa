"""API for young people's records, one module per part of the pathway, each over the same
services and selectors as the pages. Each module lists its routes in ``urlpatterns``, gathered
by csafe/api_urls.py."""
