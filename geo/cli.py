"""``bianmin import-pois FILE`` and ``bianmin import-divisions FILE``.

Exit status: 0 when every feature landed, 1 when some were rejected (the good ones still land),
2 when the file cannot be read as a GeoJSON FeatureCollection.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson
from tqdm import tqdm

from geo import importer, service_divisions
from geo.importer import ImportReport

SHOWN_REJECTIONS = 20


def register(sub: Any) -> None:
    """Add the map's sub-commands to the ``bianmin`` parser."""
    pois = sub.add_parser("import-pois", help="import service points from a GeoJSON FeatureCollection")
    pois.add_argument("file", type=Path)
    pois.add_argument("--coord", choices=["wgs84", "gcj02", "bd09"], default="wgs84",
                      help="coordinate system of the file (default wgs84, as RFC 7946 says)")
    pois.set_defaults(run=cmd_import_pois)
    divisions = sub.add_parser("import-divisions",
                               help="import district/street/community polygons from a GeoJSON FeatureCollection")
    divisions.add_argument("file", type=Path)
    divisions.set_defaults(run=cmd_import_divisions)


def read_features(path: Path) -> list[Any] | None:
    """The features of a FeatureCollection file, or None after printing why it cannot be read."""
    try:
        data = orjson.loads(path.read_bytes())
    except OSError as exc:
        print(f"bianmin: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return None
    except orjson.JSONDecodeError as exc:
        print(f"bianmin: {path} is not JSON: {exc}", file=sys.stderr)
        return None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        print(f"bianmin: {path} is not a GeoJSON FeatureCollection", file=sys.stderr)
        return None
    return data["features"]


def print_report(report: ImportReport) -> int:
    """Print the summary and the first rejections; returns the exit status."""
    print(f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}, "
          f"rejected {len(report.rejected)}")
    for item in report.as_dict()["rejected"][:SHOWN_REJECTIONS]:
        print(f"  feature {item['index']}: {item['reason']}")
    if len(report.rejected) > SHOWN_REJECTIONS:
        print(f"  ... and {len(report.rejected) - SHOWN_REJECTIONS} more")
    return 1 if report.rejected else 0


async def cmd_import_pois(args: argparse.Namespace) -> int:
    features = read_features(args.file)
    if features is None:
        return 2
    with tqdm(total=len(features), unit="feature", desc="importing", file=sys.stderr) as bar:
        report = await importer.import_features(features, coord=args.coord, progress=bar.update)
    return print_report(report)


async def cmd_import_divisions(args: argparse.Namespace) -> int:
    features = read_features(args.file)
    if features is None:
        return 2
    return print_report(await service_divisions.import_divisions(features))
