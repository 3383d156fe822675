"""Files kept by their content: one folder per kind under BIANMIN_VAR_DIR, each file named by its SHA-256.

The gazette's attachments and the photos residents add to letters are stored this way: the same
bytes uploaded twice are one file, and a name cannot be guessed from a document or a letter.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from server import config


class ContentStore:
    """The files of one kind (``folder`` under the var directory), by SHA-256."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def root(self) -> Path:
        return Path(config.current().var_dir) / self.folder

    def path(self, sha256: str) -> Path:
        return self.root() / sha256[:2] / sha256

    def store(self, data: bytes, sha256: str) -> None:
        """Keep ``data`` under its hash (nothing to do when it is there already)."""
        target = self.path(sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
