"""The service category tree (服务分类): stable dotted English codes with Chinese names.

A code's parent is its prefix before the last dot (``health.community`` -> ``health``). Filters
treat a node as itself plus all its descendants, so ``category=health`` finds pharmacies too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class Category:
    """One node: ``code`` such as ``elderly.canteen`` and its Chinese ``name`` (长者饭堂)."""

    code: str
    name: str

    @property
    def parent_code(self) -> str | None:
        """Code of the parent node, or None for a top-level category."""
        head, dot, _ = self.code.rpartition(".")
        return head if dot else None


@dataclass(frozen=True, slots=True)
class CategoryNode:
    """A node of the counted tree; ``count`` includes every descendant."""

    code: str
    name: str
    count: int
    children: list[CategoryNode] = field(default_factory=list)


class UnknownCategoryError(LookupError):
    """A category code that is not in the tree."""

    def __init__(self, code: str) -> None:
        super().__init__(f"未知分类 / unknown category: {code}")
        self.code = code


SEED_CATEGORIES: tuple[Category, ...] = (
    Category("education", "教育"),
    Category("education.kindergarten", "幼儿园"),
    Category("education.primary", "小学"),
    Category("education.secondary", "中学"),
    Category("education.other", "其他教育"),
    Category("health", "医疗"),
    Category("health.hospital", "医院"),
    Category("health.community", "社区健康服务中心"),
    Category("health.clinic", "诊所"),
    Category("health.pharmacy", "药店"),
    Category("elderly", "养老"),
    Category("elderly.nursing_home", "养老院"),
    Category("elderly.day_care", "日间照料中心"),
    Category("elderly.canteen", "长者饭堂"),
    Category("elderly.activity", "老年活动中心"),
    Category("hall", "政务服务"),
    Category("hall.district", "区行政服务大厅"),
    Category("hall.street", "街道便民服务中心"),
    Category("hall.community", "社区工作站"),
)


class CategoryTree:
    """An immutable category tree; each code also gets a small integer id for numpy masks."""

    def __init__(self, categories: Iterable[Category]) -> None:
        """Build from nodes in display order; every parent must come before its children."""
        self.categories: tuple[Category, ...] = tuple(categories)
        self._by_code = {c.code: c for c in self.categories}
        self._children: dict[str | None, list[str]] = {}
        for cat in self.categories:
            if cat.parent_code is not None and cat.parent_code not in self._by_code:
                raise UnknownCategoryError(cat.parent_code)
            self._children.setdefault(cat.parent_code, []).append(cat.code)
        self._ids = {c.code: i for i, c in enumerate(self.categories)}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def name(self, code: str) -> str:
        """Chinese name of a code."""
        return self._get(code).name

    def id_of(self, code: str) -> int:
        """Stable small integer for a code (its position in the tree), for numpy arrays."""
        self._get(code)
        return self._ids[code]

    def at(self, category_id: int) -> Category:
        """The node with a small integer id (the inverse of :meth:`id_of`)."""
        return self.categories[category_id]

    def descendants(self, code: str) -> frozenset[str]:
        """The code itself and every code below it."""
        self._get(code)
        found, stack = {code}, [code]
        while stack:
            kids = self._children.get(stack.pop(), [])
            found.update(kids)
            stack.extend(kids)
        return frozenset(found)

    def expand(self, codes: Iterable[str]) -> frozenset[str]:
        """Union of :meth:`descendants` over several codes (``category=a,b``)."""
        return frozenset().union(*(self.descendants(c) for c in codes))

    def expand_ids(self, codes: Iterable[str]) -> NDArray[np.int64]:
        """Integer ids of the codes and all their descendants, sorted."""
        return np.array(sorted(self._ids[c] for c in self.expand(codes)), dtype=np.int64)

    def top_level(self, code: str) -> str:
        """The top-level ancestor of a code (``health.pharmacy`` -> ``health``)."""
        self._get(code)
        return code.split(".", 1)[0]

    def roots(self) -> list[str]:
        """Top-level codes in display order."""
        return list(self._children.get(None, []))

    def counted(self, counts: Mapping[str, int]) -> list[CategoryNode]:
        """Nested tree with, per node, the sum of ``counts`` over the node and its descendants."""
        for code in counts:
            self._get(code)
        return [self._counted_node(code, counts) for code in self.roots()]

    def _counted_node(self, code: str, counts: Mapping[str, int]) -> CategoryNode:
        children = [self._counted_node(kid, counts) for kid in self._children.get(code, [])]
        total = counts.get(code, 0) + sum(child.count for child in children)
        return CategoryNode(code, self._by_code[code].name, total, children)

    def _get(self, code: str) -> Category:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownCategoryError(code) from None


DEFAULT_TREE = CategoryTree(SEED_CATEGORIES)

# What a resident asking for "the nearest 医疗" means: a doctor (a hospital, a community health
# centre or a clinic). A pharmacy is what they ask for by name (health.pharmacy).
_NEAREST_MEANS: Mapping[str, tuple[str, ...]] = {
    "health": ("health.hospital", "health.community", "health.clinic"),
}


def nearest_scope(code: str) -> tuple[str, ...]:
    """The codes a "nearest <code>" answer looks in: a top category as residents mean it, else the node."""
    DEFAULT_TREE.descendants(code)  # UnknownCategoryError for a code not in the tree
    return _NEAREST_MEANS.get(code, (code,))
