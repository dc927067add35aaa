"""Business errors, each kind carrying its meaning.

Services raise an ``ApplicationError`` when a request breaks a rule of the domain. The subclass
says what kind of refusal it is, and that decides the answer once, in one place: the API's
exception handler (``csafe.core.api.exception_handler``) maps each kind to its HTTP status, and
the pages show the message as a form error (``csafe.core.forms.add_service_error``) or, for a
conflict, rebind the form with the version now saved (``csafe.core.forms.rebind_after_conflict``).
A view never compares codes to choose a status.

``code`` remains for the finer reason within a kind ("locked", "possible_duplicate",
"identity"...), which tests and clients may read.
"""

from __future__ import annotations


class ApplicationError(Exception):
    """The request is not valid under a rule of the domain: 400."""

    status = 400
    default_code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code or self.default_code

    def as_field_errors(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [self.message]}


class InvalidError(ApplicationError):
    """The same as ``ApplicationError``; named for a service that wants to say so."""


class ConflictError(ApplicationError):
    """An edit made against a version other than the one saved: someone else saved in between.
    409, with the version now saved so the client can read the record again and decide."""

    status = 409
    default_code = "conflict"

    def __init__(self, message: str, *, current_version: int | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.current_version = current_version


class ForbiddenError(ApplicationError):
    """The actor may see the record but not do this to it (their role or the record's state
    refuses them): 403."""

    status = 403
    default_code = "forbidden"


class NotFoundError(ApplicationError):
    """What the request names does not exist, or is not the actor's to know of: 404."""

    status = 404
    default_code = "not_found"


class TooManyAttemptsError(ApplicationError):
    """A check paused after too many refusals in a short time: 429."""

    status = 429
    default_code = "throttled"
