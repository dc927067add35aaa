"""Which channel a request came through, for the access log, decided once from the request."""

from __future__ import annotations

from rest_framework.request import Request

from .models import AccessChannel


def channel_of(request) -> str:
    """``api`` for a request DRF has wrapped (every endpoint's), ``page`` for any other."""
    return AccessChannel.API if isinstance(request, Request) else AccessChannel.PAGE
