"""The snapshot's pre-rendered GeoJSON, in flat byte buffers, and the page writer that joins it.

Each POI's Feature is joined from two parts:

- a head per coordinate system: ``{"type":"Feature","id":7,"geometry":{...},``, rendered per page from
  the snapshot's columns (geo/snapshot_rows.py's FeatureHeads): cheap for twenty, costly to keep for all;
- its body: ``"properties":{"name":...,"hall_id":null``, rendered once when a snapshot is built
  (open-ended: each answer appends the per-request members, ``open_now`` and ``distance_m``, then closes it).

The bodies (and the search keys) sit end to end in one ``bytes`` with an offset array beside it: at 100k POIs
that is a few objects instead of 300k bytes objects (less memory, one block to hash). A page of
features is then a few slices of those buffers joined in Python with the per-request members,
inside the collection's own prefix and suffix.

An edit does not copy the buffers: :meth:`Parts.with_items` returns Parts sharing them, with the
edited and added items in a small dict beside them (``changed``) that wins over the buffer.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

U8 = NDArray[np.uint8]
I64 = NDArray[np.int64]

_JSON_BOOL = (b"false", b"true")


class Parts:
    """Byte strings end to end in one ``bytes``, with ``data[offsets[i]:offsets[i + 1]]`` the i-th, except
    the items in ``changed`` (position -> bytes: replaced in place, or added after the buffer's)."""

    __slots__ = ("changed", "data", "offsets", "size")

    def __init__(self, data: bytes, offsets: I64, changed: dict[int, bytes] | None = None,
                 size: int | None = None) -> None:
        self.data = data
        self.offsets = offsets
        self.changed = changed or {}
        self.size = len(offsets) - 1 if size is None else size

    @classmethod
    def of(cls, items: Iterable[bytes]) -> Parts:
        builder = PartsBuilder()
        for item in items:
            builder.append(item)
        return builder.finish()

    def with_items(self, items: dict[int, bytes], size: int) -> Parts:
        """These Parts with ``items`` at their positions (replacing or, up to ``size``, adding items);
        the buffers are shared, not copied."""
        if not all(0 <= p < size for p in items) or size < self.size:
            raise IndexError("position out of range")
        changed = {**self.changed, **items}
        if any(p not in changed for p in range(len(self.offsets) - 1, size)):
            raise IndexError("added items must follow the buffer's without a gap")
        return Parts(self.data, self.offsets, changed, size)

    def compacted(self) -> Parts:
        """The same items in one buffer, without ``changed``."""
        return Parts.of(self) if self.changed else self

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int) -> bytes:
        found = self.changed.get(i)
        return found if found is not None else self.data[self.offsets[i]:self.offsets[i + 1]]

    def __iter__(self) -> Iterator[bytes]:
        if self.changed:
            return (self[i] for i in range(self.size))
        data, bounds = self.data, self.offsets.tolist()
        return (data[a:b] for a, b in pairwise(bounds))

    def pick(self, positions: I64) -> list[bytes]:
        """The items at ``positions`` (checked: IndexError outside), in that order."""
        positions = np.asarray(positions, dtype=np.int64)
        if len(positions) and (positions.min() < 0 or positions.max() >= len(self)):
            raise IndexError("position out of range")
        if self.changed:
            return [self[p] for p in positions.tolist()]
        data = self.data
        return [data[a:b] for a, b in zip(self.offsets[positions].tolist(), self.offsets[positions + 1].tolist())]

    def take(self, positions: I64) -> Parts:
        """The items at ``positions``, in that order, as new Parts.

        Copied run by run: merging a few changed POIs into a million keeps long runs of
        consecutive positions, so this is a few large slices, not one small one per item.
        """
        if self.changed:
            return self.compacted().take(positions)
        positions = np.asarray(positions, dtype=np.int64)
        if len(positions) and (positions.min() < 0 or positions.max() >= len(self)):
            raise IndexError("position out of range")
        breaks = np.flatnonzero(np.diff(positions) != 1) + 1
        firsts = positions[np.concatenate(([0], breaks))] if len(positions) else positions
        lasts = positions[np.concatenate((breaks - 1, [len(positions) - 1]))] if len(positions) else positions
        data, offsets = self.data, self.offsets
        joined = b"".join(data[a:b] for a, b in zip(offsets[firsts].tolist(), offsets[lasts + 1].tolist()))
        lengths = offsets[positions + 1] - offsets[positions]
        ends = np.zeros(len(positions) + 1, dtype=np.int64)
        np.cumsum(lengths, out=ends[1:])
        return Parts(joined, ends)

    @staticmethod
    def concat(first: Parts, second: Parts) -> Parts:
        """``first``'s items, then ``second``'s."""
        first, second = first.compacted(), second.compacted()
        return Parts(first.data + second.data,
                     np.concatenate((first.offsets, second.offsets[1:] + first.offsets[-1])))


class Picker(Protocol):
    """Anything that hands out the items at some positions: Parts, or heads rendered on demand."""

    def __len__(self) -> int: ...

    def pick(self, positions: I64) -> list[bytes]: ...


class PartsBuilder:
    """Appends byte strings straight into one buffer: no bytes object per item is kept, so building
    100k items leaves no freed small objects behind to hold the process's memory up."""

    __slots__ = ("_data", "_ends")

    def __init__(self) -> None:
        self._data = bytearray()
        self._ends = array("q", [0])

    def append(self, item: bytes) -> None:
        self._data += item
        self._ends.append(len(self._data))

    def finish(self) -> Parts:
        return Parts(bytes(self._data), np.frombuffer(self._ends, dtype=np.int64).copy())


def features_page(heads: Picker, bodies: Picker, positions: I64, opens: U8, *, prefix: bytes = b"",
                  suffix: bytes = b"", distances_m: NDArray[np.float64] | None = None, extra: bytes = b"") -> bytes:
    """``prefix``, the Features at ``positions`` joined by commas, then ``suffix``, as one bytes.

    Each Feature is its head, its body, ``"open_now"`` from ``opens`` (one flag per POI),
    ``"distance_m"`` (whole metres, rounded half to even as Python's ``round``) when
    ``distances_m`` is given, then ``extra`` (more members, already rendered) and the closing braces.
    """
    positions = np.asarray(positions, dtype=np.int64)
    head_list, body_list = heads.pick(positions), bodies.pick(positions)
    if len(positions) and positions.max() >= len(opens):
        raise IndexError("position out of range")
    flags = [_JSON_BOOL[flag] for flag in np.asarray(opens)[positions].tolist()]
    if distances_m is None:
        features = [b'%s%s,"open_now":%s%s}}' % parts for parts in zip(head_list, body_list, flags, [extra] * len(flags))]
    else:
        metres = [round(m) for m in np.asarray(distances_m, dtype=np.float64).tolist()]
        features = [b'%s%s,"open_now":%s,"distance_m":%d%s}}' % (head, body, flag, m, extra)
                    for head, body, flag, m in zip(head_list, body_list, flags, metres)]
    return b"".join((prefix, b",".join(features), suffix))
