"""Which attachment files the gazette accepts, told by their content, and how they are served.

An upload is accepted only when its bytes are one of the allowed formats (PDF, DOCX, XLSX,
OFD, JPG, PNG) and its file name's extension agrees, so a renamed executable or an HTML
page called 通知.pdf is refused. Office formats and OFD (GB/T 33190) are ZIP packages told
apart by the part that defines them.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# An upload's body: the file plus room for the multipart framing (boundaries, part headers, a long file name).
MAX_ATTACHMENT_UPLOAD = MAX_ATTACHMENT_BYTES + 64 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_UNSAFE_NAME_RE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')
# Characters that show nothing yet change what is shown: bidirectional overrides and isolates
# (U+202A-202E, U+2066-2069) make "invoice\u202Efdp.exe" read "invoiceexe.pdf"; marks (U+200E/F,
# U+061C), zero-width characters and other format characters (Cf), C1 controls, line and paragraph
# separators, surrogates, private-use and unassigned code points go too.
_INVISIBLE = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
MAX_FILENAME_CHARS = 150


@dataclass(frozen=True, slots=True)
class FileType:
    """An accepted format: its media type, the extensions it may carry, and how it is shown."""

    name: str
    content_type: str
    extensions: tuple[str, ...]
    inline: bool


PDF = FileType("PDF", "application/pdf", (".pdf",), True)
PNG = FileType("PNG", "image/png", (".png",), True)
JPEG = FileType("JPG", "image/jpeg", (".jpg", ".jpeg"), True)
DOCX = FileType("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                (".docx",), False)
XLSX = FileType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                (".xlsx",), False)
OFD = FileType("OFD", "application/ofd", (".ofd",), False)


class RefusedFile(ValueError):
    """An upload that is not an accepted format, or whose name says otherwise."""


class TooLarge(RefusedFile):
    """An upload over MAX_ATTACHMENT_BYTES."""


def detect(data: bytes) -> FileType | None:
    """The accepted format these bytes are, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(_ZIP_MAGIC):
        return _package_type(data)
    return None


def _package_type(data: bytes) -> FileType | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return XLSX
    if "OFD.xml" in names:
        return OFD
    return None


def check_upload(data: bytes, filename: str) -> tuple[FileType, str]:
    """(format, safe file name) for an acceptable upload; RefusedFile says why not."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise TooLarge(f"附件 {len(data)} 字节，超过 20 MB 上限")
    kind = detect(data)
    if kind is None:
        raise RefusedFile("文件内容不是 PDF、DOCX、XLSX、OFD、JPG 或 PNG")
    name = safe_filename(filename)
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in kind.extensions:
        raise RefusedFile(f"文件内容是 {kind.name}，与文件名的扩展名“{extension or '无'}”不符")
    return kind, name


def safe_filename(filename: str) -> str:
    """The last path component, without control, invisible or reserved characters, at most 150 characters."""
    base = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    visible = "".join(c for c in _UNSAFE_NAME_RE.sub("_", base) if unicodedata.category(c) not in _INVISIBLE)
    cleaned = visible.strip(" .") or "附件"
    if len(cleaned) > MAX_FILENAME_CHARS:
        stem, dot, extension = cleaned.rpartition(".")
        keep = MAX_FILENAME_CHARS - len(extension) - 1
        cleaned = f"{stem[:keep]}.{extension}" if dot and keep > 0 else cleaned[:MAX_FILENAME_CHARS]
    return cleaned


def content_disposition(filename: str, *, inline: bool) -> str:
    """Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266, RFC 5987)."""
    fallback = filename.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
