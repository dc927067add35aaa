"""Storing and recognising uploaded documents.

A file's type is decided from its first bytes, never from its name or the browser's say-so, and
only the types below are accepted. Files are written under ``MEDIA_ROOT/documents`` with a random
name; MEDIA_ROOT has no URL, so the only way to read one is the permission-checked download view.
"""

from __future__ import annotations

import hashlib
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# The accepted types, by what their content starts with. Office files are ZIP containers and are
# told apart by the part that names their kind (see _office_type).
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "text/plain": "plain text",
}
ALLOWED_DESCRIPTION = "PDF, Word (.docx), PNG, JPEG or plain text"

_SNIFF_BYTES = 2048


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    size: int
    sha256: str
    content_type: str


def document_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "documents"


def path_for(stored_name: str) -> Path:
    # Stored names are made here from hex only; refuse anything else rather than trust a row.
    if not stored_name or not all(c in "0123456789abcdef" for c in stored_name):
        raise ValueError("Not a stored document name")
    return document_root() / stored_name[:2] / stored_name


def sniff_content_type(uploaded) -> str | None:
    """The allowed type this file's content is, or None."""
    uploaded.seek(0)
    head = uploaded.read(_SNIFF_BYTES)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _office_type(uploaded)
    if head and _is_plain_text(head):
        return "text/plain"
    return None


def _office_type(uploaded) -> str | None:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return None


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The sample may end part-way through a character.
        if exc.start < len(head) - 3:
            return False
    return True


def store(uploaded, content_type: str) -> StoredFile:
    """Write the upload under a random name and return what the database row needs."""
    stored_name = secrets.token_hex(24)
    path = path_for(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    uploaded.seek(0)
    # "x": never overwrite, however unlikely a clash of 192 random bits is.
    with open(path, "xb") as out:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    path.chmod(0o600)
    return StoredFile(
        stored_name=stored_name, size=size, sha256=digest.hexdigest(), content_type=content_type
    )


def discard(stored_name: str) -> None:
    """Remove a file whose database row was never committed (the transaction rolled back)."""
    path_for(stored_name).unlink(missing_ok=True)
