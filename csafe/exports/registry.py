"""What an export is, whatever it exports, and the registry of every source by its key.

An app that offers an export makes an ExportSource and registers it from its own
AppConfig.ready (web and worker alike must know it, and a worker never loads the URLs); the
export service (csafe/exports/services.py) then decides whether to answer at once or as a
background job, who may download the file, and what goes to the access log. Nothing here knows
what any source exports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ImproperlyConfigured

# progress(rows_written) is called now and then while writing, so a job can report how far it got.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportSource:
    key: str
    # A plain-language name for the export, shown on the progress page ("CIN census return").
    title: str
    content_type: str
    extension: str  # "csv", "xml" or "zip"
    # Whether the file names or identifies young people: if so each download writes one access-log
    # row per young person in it (channel "export").
    holds_personal_data: bool
    # Checks the params (a JSON-serialisable dict) and the user's right to them; raises
    # csafe.core.errors.ApplicationError with a clear message, or PermissionDenied.
    validate: Callable[[Any, dict], None]
    # How many rows the export will hold, for choosing between answering at once and a job, and
    # for the progress bar.
    count: Callable[[Any, dict], int]
    # Writes the whole file to ``out`` (text, UTF-8; bytes when ``binary``) and returns the ids of
    # the young people in it (empty when holds_personal_data is False).
    write: Callable[[Any, dict, IO[Any], Progress], list[int]]
    # The file name offered to the browser, without extension.
    filename: Callable[[dict], str]
    # A file that is not text (a zip archive): ``write`` is given a binary stream instead.
    binary: bool = False
    # Called with (user, params, resource) each time the file is handed over (a job's download,
    # or an answer written at once), in the transaction that writes its access-log rows, with
    # the same resource ("export:<job id>" or "export:inline:<key>"). It may write an audit
    # event, or refuse the handover with Http404 or PermissionDenied (access has changed since
    # the file was written), which also undoes the access-log rows.
    on_download: Callable[[Any, dict, str], None] | None = None
    # Whether ``user`` may still hold every young person of a set of ids (a job's file, written
    # earlier): asked before such a file is handed over, since the user's role, team or
    # allocations may have changed in between. Required when holds_personal_data: only the app
    # that owns the records knows who may see them.
    may_hold: Callable[[Any, set[int]], bool] | None = None

    def __post_init__(self) -> None:
        if self.holds_personal_data and self.may_hold is None:
            raise ImproperlyConfigured(
                f"The export source {self.key!r} holds personal data: give it may_hold"
            )


_REGISTRY: dict[str, ExportSource] = {}


def register(source: ExportSource) -> ExportSource:
    """Make ``source`` available by its key. Call it once per source at start-up, from the
    AppConfig.ready of the app that owns the source, so web and worker alike know it."""
    existing = _REGISTRY.get(source.key)
    if existing is not None and _origin(existing) != _origin(source):
        raise ImproperlyConfigured(f"Two export sources use the key {source.key!r}")
    _REGISTRY[source.key] = source
    return source


def _origin(source: ExportSource) -> tuple[str, str]:
    # The same source imported twice (a reloaded module) is not a clash.
    return (source.write.__module__, source.write.__qualname__)


def source(key: str) -> ExportSource:
    """The registered source ``key``; LookupError when there is none."""
    try:
        return _REGISTRY[key]
    except KeyError:
        raise LookupError(f"No export source is registered as {key!r}") from None


def registered(key: str) -> ExportSource | None:
    """The registered source ``key``, or None for a source no longer offered."""
    return _REGISTRY.get(key)


def source_title(key: str) -> str:
    """The source's title for pages, or a plain stand-in for a source no longer offered."""
    found = _REGISTRY.get(key)
    return found.title if found is not None else "Export no longer offered"
