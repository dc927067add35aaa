"""Request rates, counted in Django's cache: Redis in production, shared by every process.

One way of counting for the API and for the pages. The API's classes are DRF throttles
(settings.REST_FRAMEWORK names them and their rates); the pages that could be used to probe
(sign-in, the two-factor code, the caseload search, the duplicate check on a new referral) take
the ``throttle(scope)`` decorator, which counts with the same classes and answers 429 with a
GOV.UK page. Every answer of 429 carries ``Retry-After``.

Counts are kept in fixed windows (a minute's window starts on the minute) with the cache's
atomic add and incr, Redis's INCR: DRF's own SimpleRateThrottle reads a list of times and writes
it back, so a burst of requests sent at once all read the same list and all pass. The price of
windows is that a client may spend one window's allowance at its end and the next at its start.
"""

from __future__ import annotations

import functools
import math

from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from rest_framework import throttling
from rest_framework.settings import api_settings


class WindowRateThrottle(throttling.SimpleRateThrottle):
    """A rate from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope], counted per person when
    signed in and per address otherwise."""

    def get_rate(self) -> str:
        # Read when used: DRF's THROTTLE_RATES is bound when its module is imported, so a rate
        # changed since (override_settings in a test) would not be seen.
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise ImproperlyConfigured(f"No throttle rate is set for {self.scope!r}") from exc

    def get_cache_key(self, request, view) -> str | None:
        user = getattr(request, "user", None)
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else None
        return f"throttle:{self.scope}:{ident or self.get_ident(request)}"

    def allow_request(self, request, view) -> bool:
        self.retry_after = None
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        counter = f"{key}:{window}"
        self.cache.add(counter, 0, timeout=self.duration)
        try:
            count = self.cache.incr(counter)
        except ValueError:  # the window's key expired between add and incr: a new window
            self.cache.add(counter, 1, timeout=self.duration)
            count = 1
        if count <= self.num_requests:
            return True
        self.retry_after = (window + 1) * self.duration - now
        return False

    def wait(self) -> float | None:
        return self.retry_after


class AnonRateThrottle(WindowRateThrottle):
    """API requests without credentials (or with wrong ones: csafe.core.api counts those)."""

    scope = "anon"

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class UserRateThrottle(WindowRateThrottle):
    """API requests by a signed-in person, whether by token or session."""

    scope = "user"

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class ScopedThrottle(WindowRateThrottle):
    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()


class SearchRateThrottle(WindowRateThrottle):
    """An API list asked with ``?search=``: searching for a name is a look-up."""

    scope = "search"

    def get_cache_key(self, request, view) -> str | None:
        if not request.query_params.get("search", "").strip():
            return None
        return super().get_cache_key(request, view)


def retry_message(seconds: int) -> str:
    if seconds <= 90:
        wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        minutes = math.ceil(seconds / 60)
        wait = f"{minutes} minutes"
    return f"There have been too many requests in a short time. Try again in {wait}."


def too_many_requests(request, retry_after: float | None):
    seconds = max(1, math.ceil(retry_after or 1))
    response = render(request, "429.html", {"message": retry_message(seconds)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def throttle(scope: str, *, method: str = "POST", param: str | None = None):
    """Count ``method`` requests to the page against the ``scope`` rate, and answer 429 once
    they pass it; with ``param``, only those whose query string has it, not blank."""

    def decorator(view):
        @functools.wraps(view)
        def throttled(request, *args, **kwargs):
            counted = request.method == method and (
                param is None or request.GET.get(param, "").strip()
            )
            if counted:
                limit = ScopedThrottle(scope)
                if not limit.allow_request(request, None):
                    return too_many_requests(request, limit.wait())
            return view(request, *args, **kwargs)

        return throttled

    return decorator
