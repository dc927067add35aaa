"""What the API of each part of a young person's record shares: the viewset for endpoints under
a young person (each fetches the record through ``cases.access.young_person_for_request``) and
the size limit on uploads. A 409 for an edit made over someone else's is the project's one
exception handler's (``csafe.core.api``)."""

from __future__ import annotations

from rest_framework import viewsets

from .. import files


class YoungPersonScoped(viewsets.GenericViewSet):
    """A viewset under ``young-people/<young_person_pk>/``."""

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
