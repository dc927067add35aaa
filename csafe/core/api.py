"""API plumbing shared by every app's endpoints."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError, ConflictError, ForbiddenError, NotFoundError
from .throttling import AnonRateThrottle, retry_message


def exception_handler(exc, context):
    """Every business error becomes its kind's status here, and nowhere else: 400 with field
    errors like a serializer's, 403, 404, 409 with the version now saved, or 429 for a check
    paused after too many refusals (``csafe.core.errors``). A throttled request is a 429 with
    ``Retry-After`` and a message saying when to try again; so is a request without good
    credentials past the anonymous rate."""
    if isinstance(exc, ApplicationError):
        body = exc.as_field_errors()
        if isinstance(exc, ForbiddenError | NotFoundError) and exc.field is None:
            # DRF's own shape for a 403 or 404, so a refused caller reads one shape whether a
            # view's check or a service refused them.
            body = {"detail": exc.message}
        if isinstance(exc, ConflictError):
            body["current_version"] = exc.current_version
        return Response(body, status=exc.status)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # DRF authenticates and checks permissions before it throttles, so these never reach
        # the throttles: counted here, anonymous floods and token guessing meet a 429 too.
        anonymous = AnonRateThrottle()
        if not anonymous.allow_request(context["request"], context.get("view")):
            exc = exceptions.Throttled(anonymous.wait())
    if isinstance(exc, exceptions.Throttled):
        seconds = max(1, exc.wait or 1)
        return Response(
            {"detail": retry_message(seconds)},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(seconds)},
        )
    return drf_exception_handler(exc, context)


def blank_or_choice(model, name: str) -> serializers.ChoiceField:
    """A model's optional choice (``blank=True``), read-only. DRF drops ``allow_blank`` from
    read-only model fields, so without this the schema says "" is not a valid answer."""
    return serializers.ChoiceField(
        choices=model._meta.get_field(name).choices, allow_blank=True, read_only=True
    )


class DebugOnlyBrowsableNegotiation(DefaultContentNegotiation):
    """Offer the browsable API only while DEBUG is on: its forms list related objects by name."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if not settings.DEBUG:
            renderers = [r for r in renderers if not isinstance(r, BrowsableAPIRenderer)]
        return super().select_renderer(request, renderers, format_suffix)


class ConflictSerializer(serializers.Serializer):
    """The 409 body ``exception_handler`` writes for a ``ConflictError``."""

    non_field_errors = serializers.ListField(child=serializers.CharField())
    current_version = serializers.IntegerField()


def conflict_response_schema(noun: str) -> OpenApiResponse:
    """The schema of that 409, for an endpoint's ``extend_schema(responses=...)``."""
    return OpenApiResponse(
        ConflictSerializer, description=f"Someone saved the {noun} since the given version"
    )
