"""What an export is, whatever it exports: the drill-down's list of young people and the CIN
census return are both ExportSources, so one export service (reporting/exports.py) decides whether
to answer at once or as a background job, who may download the file, and what goes to the access
log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

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
    # Whether ``user`` may hold this file's young people without being allocated to each (a
    # service manager given the census permission). For anyone else, a job's file is handed
    # over only while every young person in it is still one the user may see: a manager who
    # has since moved team or role cannot download what they asked for before.
    held_without_allocation: Callable[[Any], bool] | None = None
