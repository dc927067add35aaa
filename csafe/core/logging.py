"""Keeping personal data out of logs and error reports.

csafe's own log calls name records by id only (a young person's pk or local identifier, a job's
pk, a task's id), and every Celery task takes ids, never names. This module catches what code does
not write itself:

* ``PersonalDataFilter``, on the console handler (settings.LOGGING) that every logger, the Celery
  worker's included, writes through: removes the lines of a database error that quote row values
  (PostgreSQL's ``DETAIL: Key (first_name)=(...)``, ``Failing row contains (...)``) from the
  message and the traceback, and drops the ``args``/``kwargs`` Celery attaches to a failed task's
  record, so no formatter can print them.
* ``PersonalDataReporterFilter`` (settings.DEFAULT_EXCEPTION_REPORTER_FILTER): in the error report
  of a request (the e-mail to ADMINS, the debug page), every POST value is hidden except a short
  list of fields that never hold case data, and so is every local variable of every frame (a
  service's locals hold young people and their notes). It is active whatever DEBUG says.
* ``PersonalDataExceptionReporter`` (settings.DEFAULT_EXCEPTION_REPORTER): also hides query
  string values (a search for a child's name), uploaded file names and the request's full URL,
  and cleans the exception's text as the log filter does.

Django reads these modules while configuring logging, before apps are ready: import no models.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit, urlunsplit

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

REMOVED = "[removed: may hold personal data]"

# PostgreSQL (and psycopg) quote the offending row's values in an error's DETAIL line; SQLite
# names only the table and column. The whole line goes, whatever the constraint.
_VALUE_QUOTING = [
    re.compile(r"(DETAIL:)[^\n]*"),
    re.compile(r"(Failing row contains )\([^\n]*"),
    re.compile(r"(Key \([^)\n]*\)=)\([^\n]*"),
]

# POST fields that never hold case data, so an error report may show them.
SAFE_POST_FIELDS = frozenset({"version", "next", "action", "submit", "page"})


def scrub(text: str) -> str:
    """``text`` with every database line that quotes row values replaced by REMOVED."""
    for pattern in _VALUE_QUOTING:
        text = pattern.sub(lambda m: f"{m.group(1)} {REMOVED}", text)
    return text


class PersonalDataFilter(logging.Filter):
    """Cleans each record in place; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict) and {"args", "kwargs"} & record.args.keys():
            # celery.app.trace passes a failed task's args and kwargs in the record; the default
            # format does not print them, but a JSON or custom formatter would.
            record.args = {
                key: (REMOVED if key in {"args", "kwargs"} else value)
                for key, value in record.args.items()
            }
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_info and record.exc_info[0] is not None:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            # The formatter prints exc_text when it is set: the cleaned traceback, not a fresh one.
            record.exc_text = scrub(text)
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request) -> bool:
        # Django's filter steps aside while DEBUG is on; this one never does, since a production
        # set-up with DEBUG on by mistake must not show case data either.
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        cleansed = request.POST.copy()
        for field in cleansed:
            if field not in SAFE_POST_FIELDS:
                cleansed.setlist(field, [self.cleansed_substitute])
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        for key in ("QUERY_STRING", "RAW_URI", "REQUEST_URI", "HTTP_REFERER"):
            if meta.get(key):
                meta[key] = self.cleansed_substitute
        return meta


class PersonalDataExceptionReporter(ExceptionReporter):
    def get_traceback_data(self):
        data = super().get_traceback_data()
        hidden = self.filter.cleansed_substitute
        if self.request is not None:
            data["request_GET_items"] = [(key, hidden) for key in self.request.GET]
            data["request_FILES_items"] = [(key, hidden) for key in self.request.FILES]
            data["request_insecure_uri"] = _without_query(data.get("request_insecure_uri", ""))
        if "exception_value" in data:
            data["exception_value"] = scrub(data["exception_value"])
        for frame in data.get("frames", []):
            # A chained exception's text is printed beside the frame that raised it.
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = scrub(str(frame["exc_cause"]))
        return data


def _without_query(uri: str) -> str:
    parts = urlsplit(uri)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
