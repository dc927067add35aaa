"""What the API of each part of a young person's record shares: the young person in the URL
fetched through the one access check, the 409 answer to an edit made over someone else's, and
the size limit on uploads."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from csafe.audit.models import AccessChannel
from csafe.core.errors import ApplicationError

from .. import files, selectors


class YoungPersonScoped(viewsets.GenericViewSet):
    """A viewset under ``young-people/<young_person_pk>/``."""

    def _young_person(self, perm: str):
        """The young person in the URL if the caller holds ``perm`` on the record (404
        otherwise), with the request written to the access log."""
        return selectors.young_person_get_for_user(
            user=self.request.user,
            pk=self.kwargs["young_person_pk"],
            channel=AccessChannel.API,
            resource=self.request.path,
            perm=perm,
        )

    @staticmethod
    def _valid(serializer_class, data, **kwargs) -> dict:
        """``data`` checked by ``serializer_class`` (400 with field errors if not valid)."""
        payload = serializer_class(data=data, **kwargs)
        payload.is_valid(raise_exception=True)
        return payload.validated_data


class SizeLimitedUploads:
    """For a viewset that takes uploads: the size-limit handler goes in before DRF (or its CSRF
    check) reads the body, so a file over the limit is not kept (see
    ``files.SizeLimitUploadHandler``). The pages do the same with ``files.limit_upload_size``."""

    def initialize_request(self, request, *args, **kwargs):
        files.install_size_limit(request)
        return super().initialize_request(request, *args, **kwargs)


# --- 409 Conflict -----------------------------------------------------------------------------


class ConflictSerializer(serializers.Serializer):
    non_field_errors = serializers.ListField(child=serializers.CharField())
    current_version = serializers.IntegerField()


def conflict_response_schema(noun: str) -> OpenApiResponse:
    return OpenApiResponse(
        ConflictSerializer, description=f"Someone saved the {noun} since the given version"
    )


def conflict_response(error: ApplicationError, current_version: int) -> Response:
    """409 with the service's message and the version now saved, so the client can read the
    record again and decide."""
    return Response(
        {"non_field_errors": [error.message], "current_version": current_version},
        status=status.HTTP_409_CONFLICT,
    )
