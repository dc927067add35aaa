"""Where export files live: under settings.CSAFE_EXPORT_ROOT, which has no URL, each under a
random hex name that changes with each run of its job, readable by the server's user alone."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO

from django.conf import settings


def export_root() -> Path:
    return Path(settings.CSAFE_EXPORT_ROOT)


def export_path(stored_name: str) -> Path:
    # Stored names are made here from hex only; refuse anything else rather than trust a row.
    if not stored_name or not all(c in "0123456789abcdef" for c in stored_name):
        raise ValueError("Not a stored export name")
    return export_root() / stored_name


def new_stored_name() -> str:
    """A name for a new run's file, which is also that run's ticket."""
    return secrets.token_hex(24)


def create_file(path: Path, *, binary: bool = False) -> IO:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # O_EXCL: never overwrite; 0o600 from the start, so the file is never readable by others.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o600)
    if binary:
        return os.fdopen(descriptor, "wb")
    # newline="": what the source writes is what is stored (the csv module writes its own \r\n).
    return os.fdopen(descriptor, "w", encoding="utf-8", newline="")


def discard(stored_name: str) -> None:
    if stored_name:
        export_path(stored_name).unlink(missing_ok=True)


def stored_names_older_than(cutoff: datetime) -> Iterator[str]:
    root = export_root()
    if not root.is_dir():
        return
    cutoff_seconds = cutoff.timestamp()
    for path in root.iterdir():
        name = path.name
        if not name or not all(c in "0123456789abcdef" for c in name):
            continue
        try:
            if path.is_file() and path.stat().st_mtime < cutoff_seconds:
                yield name
        except FileNotFoundError:
            continue
