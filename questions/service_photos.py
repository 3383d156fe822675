"""Photos residents attach to letters: JPG or PNG (recognised by their bytes, as gazette attachments
are), at most 5 MB and 9 per letter; checked with WeChat's image check before they are kept."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from bulletin import service as gazette
from questions import content, errors, service_departments
from questions.tables import Letter, Photo
from server import clock
from server.auth import CurrentUser
from server.filestore import ContentStore

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 9
ACCEPTED = (gazette.JPEG, gazette.PNG)


_files = ContentStore("letter-photos")


def photos_dir() -> Path:
    return _files.root()


_path = _files.path
_store = _files.store


def read_photo(sha256: str) -> bytes:
    return _path(sha256).read_bytes()


async def upload(data: bytes, *, user_id: int) -> dict[str, Any]:
    """POST /questions/photos: 415 for anything but JPG/PNG, 413 beyond 5 MB, 422 content_rejected for a
    risky image (nothing kept); kept "held" when WeChat cannot check it now (its letter is held too)."""
    if len(data) > MAX_PHOTO_BYTES:
        raise errors.PhotoTooLarge(details={"limit_bytes": MAX_PHOTO_BYTES})
    kind = gazette.detect(data)
    if kind not in ACCEPTED:
        raise errors.PhotoRefused(details={"accepted": [t.content_type for t in ACCEPTED]})
    verdict = await content.check_image(data, content_type=kind.content_type)
    if verdict == "risky":
        raise errors.ContentRejected()
    sha256 = hashlib.sha256(data).hexdigest()
    _store(data, sha256)
    photo = await Photo.create(user_id=user_id, sha256=sha256, content_type=kind.content_type, size=len(data),
                               check="held" if verdict == "held" else "passed", created_at=clock.now())
    return {"id": photo.id, "content_type": photo.content_type, "size": photo.size, "checked": verdict == "pass"}


async def photo_file(photo_id: int, *, user: CurrentUser) -> tuple[bytes, str]:
    """A photo for its writer, or for those who may handle its letter: dispatchers every letter's,
    answerers their departments' letters' (404 for anyone else, and for photos not sent yet)."""
    photo = await Photo.get_or_none(id=photo_id)
    if photo is None or not (photo.user_id == user.id or await _handles(photo, user)):
        raise errors.LetterNotFound(details={"photo_id": photo_id})
    return read_photo(photo.sha256), photo.content_type


async def _handles(photo: Photo, user: CurrentUser) -> bool:
    if photo.letter_id is None or not user.has_role("editor", "answerer"):
        return False
    scope = await service_departments.scope_of(user)
    if scope is None:
        return True
    return await Letter.exists(id=photo.letter_id, department_id__in=sorted(scope))


async def photos_of(letter_id: int) -> list[int]:
    """The ids of a letter's photos, in the order they were uploaded."""
    return (await photos_by_letter([letter_id])).get(letter_id, [])


async def photos_by_letter(letter_ids: list[int]) -> dict[int, list[int]]:
    """Photo ids of each of these letters (one query for a page of letters)."""
    found: dict[int, list[int]] = {}
    for letter_id, photo_id in await Photo.filter(letter_id__in=letter_ids).order_by("id").values_list("letter_id", "id"):
        found.setdefault(letter_id, []).append(photo_id)
    return found


