"""`bianmin import-gazette DIR [--notify]`: load an archive of the gazette."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bulletin import importer


def register(subparsers: Any) -> None:
    """Add the gazette's commands to the bianmin command line."""
    command = subparsers.add_parser(
        "import-gazette", help="import gazette issues and documents (Markdown with YAML front matter)",
        description="Import issues.yaml and every *.md file under DIR; idempotent by 索引号 (index_number).")
    command.add_argument("directory", type=Path, help="directory holding issues.yaml and the *.md files")
    command.add_argument("--notify", action="store_true",
                         help="let subscribers be messaged about newly published documents (off for archives)")
    command.set_defaults(run=run_import)


async def run_import(args: argparse.Namespace) -> int:
    """Import a directory; exit status 1 when any file was rejected, 2 when DIR is not a directory."""
    if not args.directory.is_dir():
        print(f"bianmin import-gazette: {args.directory} is not a directory", file=sys.stderr)
        return 2

    def progress(paths: list[Path]) -> Any:
        return tqdm(paths, desc="导入公报", unit="件", file=sys.stderr)

    report = await importer.import_directory(args.directory, notify=args.notify, progress=progress)
    for name, reason in report.rejected:
        print(f"rejected {name}: {reason}", file=sys.stderr)
    print(f"issues {report.issues}; documents created {report.created}, updated {report.updated}, "
          f"unchanged {report.unchanged}, withdrawn kept {report.kept_withdrawn}, rejected {len(report.rejected)}")
    return 0 if report.ok else 1
