"""Reference data of asking the district: the 22 categories and the five letter columns (idempotent)."""

from __future__ import annotations

from questions.model import SEED_CATEGORIES, SEED_COLUMNS
from questions.tables import Category, Column


async def load() -> None:
    """Create the seeded categories and columns that are missing; an admin's later wording is kept."""
    existing = set(await Category.all().values_list("code", flat=True))
    missing = [Category(code=code, label=label, position=position)
               for position, (code, label) in enumerate(SEED_CATEGORIES) if code not in existing]
    if missing:
        await Category.bulk_create(missing)
    existing = set(await Column.all().values_list("code", flat=True))
    columns = [Column(code=code, name=name, kind=kind, position=position)
               for position, (code, name, kind) in enumerate(SEED_COLUMNS) if code not in existing]
    if columns:
        await Column.bulk_create(columns)
