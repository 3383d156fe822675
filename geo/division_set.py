"""The divisions of one index snapshot: outlines in an STRtree for "which divisions contain this point"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.strtree import STRtree

from geo.model import DIVISION_LEVELS


@dataclass(frozen=True, slots=True)
class DivisionShape:
    """One division's identity and outline (WGS-84)."""

    code: str
    name: str
    level: str
    parent_code: str | None
    geometry: Polygon | MultiPolygon

    def summary(self) -> dict[str, str]:
        """``{code, name, level}`` as the API shows it."""
        return {"code": self.code, "name": self.name, "level": self.level}

    def rank(self) -> tuple[int, str]:
        """Sort key: districts, then streets, then communities, each by code."""
        return (_rank(self.level), self.code)


class DivisionSet:
    """Immutable set of divisions with a spatial index; smallest divisions first in every answer."""

    def __init__(self, shapes: Sequence[DivisionShape]) -> None:
        """Index the outlines once (they are prepared for fast point-in-polygon tests)."""
        self._shapes = tuple(shapes)
        self._by_code = {shape.code: shape for shape in self._shapes}
        self._children = Counter(shape.parent_code for shape in self._shapes if shape.parent_code)
        geometries = [shape.geometry for shape in self._shapes]
        for geometry in geometries:
            shapely.prepare(geometry)
        self._tree = STRtree(geometries)

    def __len__(self) -> int:
        return len(self._shapes)

    def get(self, code: str) -> DivisionShape | None:
        """A division by code, in the short form (440303) or the 12-digit padded one (440303000000), whichever
        the map's boundaries were imported with."""
        found = self._by_code.get(code)
        if found is None and code.isdigit() and len(code) < 12:
            found = self._by_code.get(code.ljust(12, "0"))
        if found is None and len(code) == 12 and code.isdigit():
            short = code[:6] if code.endswith("000000") else code[:9] if code.endswith("000") else code
            found = self._by_code.get(short) if short != code else None
        return found

    def children(self, code: str) -> int:
        """How many divisions name ``code`` as their parent."""
        return self._children[code]

    def listed(self, *, level: str | None = None, parent: str | None = None) -> list[DivisionShape]:
        """Every division, those of one level, one parent's children, or (both given) the divisions of that
        level anywhere below the parent: districts first, then by code."""
        found = [shape for shape in self._shapes
                 if (level is None or shape.level == level)
                 and (parent is None or shape.parent_code == parent
                      or level is not None and parent in self._ancestors(shape))]
        return sorted(found, key=DivisionShape.rank)

    def _ancestors(self, shape: DivisionShape) -> list[str]:
        """The codes above ``shape``, parent first (a loop in imported parents ends the walk)."""
        codes: list[str] = []
        code = shape.parent_code
        while code is not None and code not in codes:
            codes.append(code)
            above = self._by_code.get(code)
            code = above.parent_code if above is not None else None
        return codes

    def containing(self, lon: float, lat: float) -> list[DivisionShape]:
        """Divisions covering the point (edges included): community, then street, then district."""
        hits = self._tree.query(Point(lon, lat), predicate="intersects")
        found = [self._shapes[i] for i in hits]
        return sorted(found, key=lambda s: (-_rank(s.level), s.code))


def _rank(level: str) -> int:
    return DIVISION_LEVELS.index(level) if level in DIVISION_LEVELS else len(DIVISION_LEVELS)
