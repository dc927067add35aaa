"""Small middleware of csafe's own."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
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
