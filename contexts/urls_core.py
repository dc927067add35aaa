"""Pages for context records (core). The names "list", "detail" and "conventions" are used by
the navigation, notifications and other parts; keep them."""

from django.http import Http404
from django.urls import path


def _not_yet(request, **kwargs):
    raise Http404("Not built yet")


urlpatterns = [
    path("", _not_yet, name="list"),
    path("<int:pk>/", _not_yet, name="detail"),
    path("configuration/naming/", _not_yet, name="conventions"),
]
