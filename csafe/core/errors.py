"""The one business-error type.

Services raise ``ApplicationError`` when a request breaks a rule of the domain. Views turn it into
a form error (``csafe.core.forms.add_service_error``) and the API into an HTTP 400 with field
errors (``csafe.core.api.exception_handler``), so each rule is written once, in its service.
"""

from __future__ import annotations


class ApplicationError(Exception):
    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_field_errors(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [self.message]}
