"""API plumbing shared by every app's endpoints."""

from __future__ import annotations

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError


def exception_handler(exc, context):
    """Business errors from services become 400s with field errors, like a serializer's."""
    if isinstance(exc, ApplicationError):
        return Response(exc.as_field_errors(), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
