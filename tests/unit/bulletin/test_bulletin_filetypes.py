"""Attachment formats told by content, refused files, safe names and Content-Disposition."""

import io
import zipfile

import pytest

from bulletin.filetypes import (
    DOCX,
    JPEG,
    OFD,
    PDF,
    PNG,
    XLSX,
    RefusedFile,
    check_upload,
    content_disposition,
    detect,
    safe_filename,
)


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name in names:
            package.writestr(name, "<x/>")
    return buffer.getvalue()


def test_each_accepted_format_is_recognised_by_its_bytes() -> None:
    assert detect(b"%PDF-1.7 ...") is PDF
    assert detect(b"\x89PNG\r\n\x1a\n....") is PNG
    assert detect(b"\xff\xd8\xff\xe0..JFIF") is JPEG
    assert detect(_zip("[Content_Types].xml", "word/document.xml")) is DOCX
    assert detect(_zip("[Content_Types].xml", "xl/workbook.xml")) is XLSX
    assert detect(_zip("OFD.xml", "Doc_0/Document.xml")) is OFD
    assert detect(_zip("random.txt")) is None
    assert detect(b"PK\x03\x04 not really a zip") is None
    assert detect(b"<html>") is None


def test_the_extension_must_agree_with_the_content() -> None:
    assert check_upload(b"%PDF-1.4", "通知.PDF") == (PDF, "通知.PDF")
    assert check_upload(b"\xff\xd8\xff", "照片.jpeg")[0] is JPEG
    with pytest.raises(RefusedFile, match="扩展名"):
        check_upload(b"%PDF-1.4", "通知.docx")
    with pytest.raises(RefusedFile):
        check_upload(b"MZ\x90\x00", "setup.pdf")


def test_file_names_lose_paths_and_reserved_characters() -> None:
    assert safe_filename("C:\\Users\\x\\附件 1.pdf") == "附件 1.pdf"
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename('a"b<c>.pdf') == "a_b_c_.pdf"
    assert safe_filename("...") == "附件"
    # Bidirectional controls and other invisible characters that make a name read as another one.
    assert safe_filename("发票\u202efdp.exe") == "发票fdp.exe"
    for invisible in ("\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069",
                      "\u200e", "\u200f", "\u061c", "\u200b", "\ufeff", "\u00ad", "\u2028", "\x85", "\ue000"):
        assert safe_filename(f"通知{invisible}.pdf") == "通知.pdf", repr(invisible)
    assert safe_filename("\u202e\u2066") == "附件"
    long = safe_filename("长" * 300 + ".pdf")
    assert len(long) == 150 and long.endswith(".pdf")


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name() -> None:
    assert content_disposition("表1.xlsx", inline=False) == (
        "attachment; filename=\"_1.xlsx\"; filename*=UTF-8''%E8%A1%A81.xlsx")
    assert content_disposition("a b.pdf", inline=True) == "inline; filename=\"a b.pdf\"; filename*=UTF-8''a%20b.pdf"
