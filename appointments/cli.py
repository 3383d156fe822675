"""`bianmin generate-slots`: materialise every hall's booking window now (the worker does it hourly)."""

from __future__ import annotations

import argparse
from typing import Any


async def _generate(args: argparse.Namespace) -> int:
    from appointments import service_slots

    done = await service_slots.generate_all_windows()
    print(f"slots: {done['created']} created, {done['closed']} closed, {done['kept']} kept")
    return 0


def register(subparsers: Any) -> None:
    """Add the booking commands to `bianmin`."""
    parser = subparsers.add_parser("generate-slots", help="generate slots for every hall's booking window")
    parser.set_defaults(run=_generate)
