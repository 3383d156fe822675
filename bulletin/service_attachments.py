"""Attachments (附件): checked uploads stored by content hash, served to those who may read them."""

from __future__ import annotations

import asyncio
import hashlib
import re
from pathlib import Path
from typing import Any

from bulletin import errors, present, repository
from bulletin.filetypes import RefusedFile, TooLarge, check_upload
from bulletin.service_reading import can_edit
from bulletin.tables import Attachment
from server import audit, clock
from server.auth import CurrentUser
from server.filestore import ContentStore

_files = ContentStore("attachments")


def attachments_dir() -> Path:
    """Where attachment files live: settings.var_dir / attachments."""
    return _files.root()


_path = _files.path
_store = _files.store


async def upload(document_id: int, *, data: bytes, filename: str) -> dict[str, Any]:
    """POST /documents/{id}/attachments: a PDF, DOCX, XLSX, OFD, JPG or PNG of at most 20 MB."""
    document = await repository.document_or_404(document_id)
    try:
        kind, name = check_upload(data, filename)
    except TooLarge as exc:
        raise errors.AttachmentTooLarge(details={"reason": str(exc)}) from None
    except RefusedFile as exc:
        raise errors.AttachmentTypeRefused(details={"reason": str(exc)}) from None
    sha256 = hashlib.sha256(data).hexdigest()
    await asyncio.to_thread(_store, data, sha256)
    row = await Attachment.create(document_id=document.id, filename=name, content_type=kind.content_type,
                                  size=len(data), sha256=sha256, created_at=clock.now())
    return present.attachment(row)


async def readable(attachment_id: int, *, user: CurrentUser | None) -> tuple[Attachment, Path, bool]:
    """(row, file path, inline?) of an attachment the caller may read; 404 otherwise."""
    from bulletin.filetypes import JPEG, PDF, PNG

    row = await Attachment.get_or_none(id=attachment_id)
    if row is None:
        raise errors.AttachmentNotFound(details={"attachment_id": attachment_id})
    document = await repository.document_or_404(row.document_id)
    if document.status != "published" and not can_edit(user):
        raise errors.AttachmentNotFound(details={"attachment_id": attachment_id})
    path = _path(row.sha256)
    if not path.exists():
        raise errors.AttachmentNotFound("附件文件缺失，请联系编辑", details={"attachment_id": attachment_id})
    inline = row.content_type in {PDF.content_type, PNG.content_type, JPEG.content_type}
    return row, path, inline


async def delete(attachment_id: int) -> None:
    """DELETE /attachments/{id}; the file goes when no attachment shares its content."""
    row = await Attachment.get_or_none(id=attachment_id)
    if row is None:
        raise errors.AttachmentNotFound(details={"attachment_id": attachment_id})
    await row.delete()
    audit.changed(target=f"attachment_id={row.id}", before=audit.fields(row, ("document_id", "filename", "size")),
                  after=None)
    if not await Attachment.exists(sha256=row.sha256):
        await asyncio.to_thread(_path(row.sha256).unlink, missing_ok=True)


async def before_delete(attachment_id: int, *, document_id: int) -> dict[str, Any]:
    """What deleting an attachment of ``document_id`` would break: the attachment, the document, and the
    lines of its body that link to the attachment (they would lead nowhere)."""
    row = await Attachment.get_or_none(id=attachment_id, document_id=document_id)
    if row is None:
        raise errors.AttachmentNotFound(details={"attachment_id": attachment_id})
    document = await repository.document_or_404(document_id)
    shown = present.attachment(row)
    link = re.compile(re.escape(shown["url"]) + r"(?![0-9])")
    lines = [line.strip() for line in (document.body or "").splitlines() if link.search(line)]
    return {"attachment": shown, "document": {"id": document.id, "title": document.title},
            "body_links": lines}


async def list_for(document_id: int) -> list[dict[str, Any]]:
    """A document's attachments, in upload order (the editor's page lists them)."""
    return [present.attachment(row) for row in await Attachment.filter(document_id=document_id).order_by("id")]
