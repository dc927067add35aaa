"""Small middleware of csafe's own."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.urls import get_resolver
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Pages for signed-in staff hold children's data: tell browsers and proxies not to keep them,
    so the back button on a shared computer does not show a record after sign-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
            response["Cache-Control"] += ", no-store"
        return response


class ServiceNotFoundMiddleware:
    """A page that answers "not found" (a record the user may not see, a missing row) shows the
    service's own 404 page even while DEBUG is on. Without this, Django answers an ``Http404``
    raised by a view with its technical page when DEBUG is on, which tells a practitioner
    nothing they can act on. An address that matches no route still shows Django's list of
    routes while DEBUG is on, for developers; with DEBUG off (the default in every profile)
    Django shows the service's page for both. API views answer their own 404s as JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            handler = get_resolver().resolve_error_handler(404)
            return handler(request, exception)
        return None


class RefuseNullCharactersMiddleware:
    """A NUL character in a query string answers 400 here, once, for every page and endpoint:
    PostgreSQL cannot hold one in text, so a search or filter carrying it would fail as a 500
    inside the database. Forms and serializers already refuse it in posted fields."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, value in _pairs(request.GET)):
            return HttpResponseBadRequest(
                "A query parameter holds a character that is not allowed (NUL).",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _pairs(query):
    for key, values in query.lists():
        for value in values:
            yield key, value
