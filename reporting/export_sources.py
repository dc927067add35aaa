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
    extension: str  # "csv" or "xml"
    # Whether the file names or identifies young people: if so each download writes one access-log
    # row per young person in it (channel "export").
    holds_personal_data: bool
    # Checks the params (a JSON-serialisable dict) and the user's right to them; raises
    # csafe.core.errors.ApplicationError with a clear message, or PermissionDenied.
    validate: Callable[[Any, dict], None]
    # How many rows the export will hold, for choosing between answering at once and a job, and
    # for the progress bar.
    count: Callable[[Any, dict], int]
    # Writes the whole file to ``out`` (text, UTF-8) and returns the ids of the young people in it
    # (empty when holds_personal_data is False).
    write: Callable[[Any, dict, IO[str], Progress], list[int]]
    # The file name offered to the browser, without extension.
    filename: Callable[[dict], str]
