"""Storing, recognising and serving uploaded documents.

A file's type is decided from its content, never from its name or the browser's say-so, and
only the types below are accepted. Files are written under ``MEDIA_ROOT/documents`` with a random
name; MEDIA_ROOT has no URL, so the only way to read one is through a view that checks permission
and writes the access log (``download_response`` builds its answer).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import secrets
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import wraps
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse, Http404
from django.views.decorators.csrf import csrf_exempt, csrf_protect

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"

# The accepted types and what to call them on the page.
ALLOWED_TYPES = {
    PDF: "PDF",
    PNG: "PNG image",
    JPEG: "JPEG image",
    DOCX: "Word document",
    TEXT: "plain text",
}
ALLOWED_DESCRIPTION = "PDF, Word document (.docx), PNG, JPEG or plain text file"
# For the browser's file picker only: a hint, not a check.
ACCEPT = ".pdf,.docx,.png,.jpg,.jpeg,.txt"
# The names a downloaded file may end with for each type; anything else gets the first added, so
# that a text file called "page.html" is saved as "page.html.txt" and never opened as a web page.
EXTENSIONS = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    DOCX: (".docx",),
    TEXT: (".txt", ".csv", ".log", ".md"),
}

_SNIFF_BYTES = 2048
_CHUNK = 64 * 1024
# The part of a .docx that says it is a Word document. A macro-enabled document (.docm) or a
# template names a different type here, so neither passes.
_WORD_MAIN_PART = (
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
_CONTENT_TYPES_LIMIT = 1024 * 1024
# Control characters that do not occur in text: everything below space except tab, line feed,
# form feed and carriage return, and DEL. Binary files (programs, archives) are full of them.
_NOT_TEXT = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Bytes that Windows-1252 leaves undefined.
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


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


def size_label(size: int) -> str:
    """A byte count as people read it: 10 MB, 512 KB, 700 bytes."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KB"
    return f"{size:,} bytes" if size != 1 else "1 byte"


def type_label(content_type: str) -> str:
    return ALLOWED_TYPES.get(content_type, content_type)


# --- Recognising a file by its content --------------------------------------------------------


def sniff_content_type(uploaded) -> str | None:
    """The allowed type this file's content is, or None. Leaves the file at its start."""
    uploaded.seek(0)
    head = uploaded.read(_SNIFF_BYTES)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return DOCX if _is_word_document(uploaded) else None
    if head and _is_plain_text(uploaded):
        return TEXT
    return None


def _is_word_document(uploaded) -> bool:
    """A ZIP is a .docx only if it has a Word body and says so in [Content_Types].xml, and
    carries no macros. Other ZIPs (archives, spreadsheets, .docm) are refused."""
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                return False
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return False
            info = archive.getinfo("[Content_Types].xml")
            # Read the small index part only, and never a "zip bomb" of one.
            if info.file_size > _CONTENT_TYPES_LIMIT:
                return False
            content_types = archive.read(info)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        KeyError,
        ValueError,
        RuntimeError,  # encrypted
        NotImplementedError,  # an unknown compression method
        zlib.error,
    ):
        return False
    finally:
        uploaded.seek(0)
    return _WORD_MAIN_PART in content_types


def _is_plain_text(uploaded) -> bool:
    """Text in UTF-8 (with or without a byte order mark) or else Windows-1252, checked to the
    end of the file: a program with a text-like start is refused by the control bytes further on."""
    try:
        uploaded.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := uploaded.read(_CHUNK):
                if _NOT_TEXT.search(chunk):
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return True
        except UnicodeDecodeError:
            pass
        uploaded.seek(0)
        while chunk := uploaded.read(_CHUNK):
            if _NOT_TEXT.search(chunk) or _NOT_CP1252.search(chunk):
                return False
        return True
    finally:
        uploaded.seek(0)


# --- Reading uploads --------------------------------------------------------------------------


class OversizedUpload(UploadedFile):
    """Stands in for an upload over the size limit: its true size, none of its bytes."""

    def __init__(self, *, name: str, size: int, content_type: str | None, charset: str | None):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class SizeLimitUploadHandler(FileUploadHandler):
    """Goes first in ``request.upload_handlers`` on the upload page and endpoint. Once a file
    passes CSAFE_DOCUMENT_MAX_BYTES its further bytes are dropped rather than held in memory or
    written to a temporary file, and the view receives an ``OversizedUpload`` with the true size,
    which ``document_upload`` refuses with its usual message."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.CSAFE_DOCUMENT_MAX_BYTES
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        # None stops the chunk reaching the handlers after this one.
        return None if self.received > self.limit else raw_data

    def file_complete(self, file_size):
        if self.received <= self.limit:
            return None  # the next handler hands over the file as usual
        return OversizedUpload(
            name=self.file_name,
            size=self.received,
            content_type=self.content_type,
            charset=self.charset,
        )


def install_size_limit(request) -> None:
    """Put ``SizeLimitUploadHandler`` first in the request's upload handlers. It must run before
    anything reads ``request.POST`` or ``request.FILES`` (the CSRF check does), since the body is
    parsed then."""
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))


def limit_upload_size(view):
    """For every page that takes an upload: the size-limit handler goes in before the CSRF
    check (which reads the body), and the check then runs as usual, inside. (The API does the
    same in ``cases.api._base.SizeLimitedUploads``.)"""
    protected = csrf_protect(view)

    @csrf_exempt  # only from the middleware's early check: ``protected`` checks below
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        install_size_limit(request)
        return protected(request, *args, **kwargs)

    return wrapped


def clean_original_name(name: str | None) -> str:
    """The uploader's file name as kept on the row: its last path part, without control
    characters, at most 255 characters (keeping the extension)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if len(name) > 255:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: 255 - len(suffix)] + suffix
    return name or "document"


# --- Storing and serving ----------------------------------------------------------------------


def store(uploaded, content_type: str) -> StoredFile:
    """Write the upload under a new random name and return what the database row needs. On any
    failure part-way, the partial file is removed before the error goes on."""
    stored_name = secrets.token_hex(24)
    path = path_for(stored_name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    # O_EXCL: never overwrite, however unlikely a clash of 192 random bits is; 0o600 from the
    # start, so the file is never readable by others even for a moment.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            for chunk in uploaded.chunks():
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StoredFile(
        stored_name=stored_name, size=size, sha256=digest.hexdigest(), content_type=content_type
    )


def discard(stored_name: str) -> None:
    """Remove a file whose database row was never committed (the transaction rolled back)."""
    path_for(stored_name).unlink(missing_ok=True)


def stored_files_older_than(seconds: float) -> Iterator[str]:
    """The stored names of files on disk last written more than ``seconds`` ago."""
    root = document_root()
    if not root.is_dir():
        return
    cutoff = time.time() - seconds
    for path in root.glob("??/*"):
        name = path.name
        if path.parent.name != name[:2] or not all(c in "0123456789abcdef" for c in name):
            continue
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                yield name
        except FileNotFoundError:
            continue


def download_name(original_name: str, content_type: str) -> str:
    """The name a download is saved under: the uploader's, with an extension that matches what
    the file really is (see EXTENSIONS)."""
    extensions = EXTENSIONS.get(content_type, ())
    if not extensions or PurePosixPath(original_name).suffix.lower() in extensions:
        return original_name
    return f"{original_name}{extensions[0]}"


def open_stored(stored_name: str) -> BinaryIO:
    """The stored file, open for reading; Http404 when it is missing (or the name is not one
    made here)."""
    try:
        return open(path_for(stored_name), "rb")  # noqa: SIM115 the caller closes it
    except (OSError, ValueError) as exc:
        raise Http404("The file for this document is missing") from exc


def download_response(document, handle: BinaryIO) -> FileResponse:
    """``handle`` (the stored bytes of ``document``, from ``open_stored``) as an attachment,
    closed by the response. The caller has checked permission and written the access log
    (``selectors.records.document_open_for_download`` does both)."""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(document.original_name, document.content_type),
        content_type=document.content_type,
    )
    # Never let a browser guess a type, render the file in the site's origin, or keep a copy.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store, private"
    return response
