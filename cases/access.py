"""The one request-level door to a young person's record, for every page and endpoint.

A page or an endpoint never calls ``young_person_get_for_user`` itself: it calls
``young_person_for_request``, which takes the user, the channel (page or API) and the resource
from the request, so the access log reads the same whichever door was used."""

from __future__ import annotations

from csafe.audit.channels import channel_of

from . import permissions
from .models import YoungPerson
from .selectors import young_person_get_for_user


def young_person_for_request(
    request, pk: int, perm: str = permissions.VIEW, **options
) -> YoungPerson:
    """The young person ``pk`` if the requesting user holds ``perm`` on the record (Http404
    otherwise), with the request written to the access log. ``options`` are
    ``young_person_get_for_user``'s prefetches."""
    return young_person_get_for_user(
        user=request.user,
        pk=pk,
        channel=channel_of(request),
        resource=request.path,
        perm=perm,
        **options,
    )
