"""Print the server's OpenAPI document as JSON, built from the app as the server assembles it.

The mini-program's contract test (tests/contract/api-contract.test.js) runs this with the
project's virtualenv from the repository root, so the document always matches the code.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def build_document(var_dir: Path) -> dict[str, object]:
    """The OpenAPI document of every blueprint of the app (no storage is opened)."""
    from server.app import create_app
    from server.config import Settings
    from server.openapi import build

    settings = Settings(env="test", secret_key="c" * 40, pii_key=b"k" * 32, run_worker=False,
                        var_dir=var_dir)
    app = create_app(settings, own_storage=False, name="bianmin_openapi")
    app.router.finalize()
    return build(app)


def main() -> None:
    """Write the document to standard output."""
    with tempfile.TemporaryDirectory() as tmp:
        json.dump(build_document(Path(tmp)), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
