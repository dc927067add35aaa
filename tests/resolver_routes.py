"""The routes of csafe, found by walking Django's URL resolver, and the methods each view takes.

A support module for the tests that check every route (tests/security/test_route_access.py,
tests/security/test_form_fuzz.py, tests/privacy_canary.py): it is imported by test files and
imports none. ``routes()`` yields one ``Route`` per pattern, with its whole pattern, its name
with namespace, the parameters its path takes and its view; ``view_methods(view)`` reads the
methods a view takes, or None when the view does not say, and each caller decides what "does
not say" means for it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern


@dataclass(frozen=True)
class Route:
    pattern: str  # the whole pattern, prefixes of the includes on the way down and all
    namespace: str  # "" at the root; nested namespaces joined with ":"
    url_name: str | None  # the pattern's own name, None when it has none
    parameters: tuple[str, ...]  # every keyword the path takes, outermost first
    view: Callable

    @property
    def name(self) -> str | None:
        """The name reverse() takes: "namespace:name", or the bare name at the root."""
        if self.namespace and self.url_name:
            return f"{self.namespace}:{self.url_name}"
        return self.url_name


def _parameters(pattern) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    return tuple(pattern.regex.groupindex)


def routes(patterns=None, prefix="", namespace="", parameters=()) -> Iterator[Route]:
    """Every route of the resolver (or of ``patterns``), in the resolver's order."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        here = parameters + _parameters(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), inner, here)
        elif isinstance(entry, URLPattern):
            yield Route(
                pattern=prefix + str(entry.pattern),
                namespace=namespace,
                url_name=entry.name,
                parameters=here,
                view=entry.callback,
            )


def view_methods(view) -> set[str] | None:
    """The methods a view takes, upper case: a DRF viewset's actions, a class view's handlers,
    or what a function view's ``require_http_methods`` (or ``require_POST`` / ``require_GET`` /
    ``require_safe``) allows. None when the view does not say: it then takes any method."""
    if getattr(view, "actions", None):
        return {m.upper() for m in view.actions}
    if hasattr(view, "view_class"):
        cls = view.view_class
        return {m.upper() for m in cls.http_method_names if hasattr(cls, m)}
    # require_http_methods keeps the methods in its closure; other decorators wrap it with
    # functools.wraps, so the chain of __wrapped__ leads down to it.
    while view is not None:
        methods = inspect.getclosurevars(view).nonlocals.get("request_method_list")
        if methods is not None:
            return set(methods)
        view = getattr(view, "__wrapped__", None)
    return None
