"""The snapshot's pre-rendered GeoJSON, in flat byte buffers, and the compiled loop that pages from it.

Each POI's Feature is rendered once when a snapshot is built, in two parts:

- a head per coordinate system: ``{"type":"Feature","id":7,"geometry":{...},`` in WGS-84 and in
  GCJ-02 (what every mini-program request asks for);
- its body: ``"properties":{"name":...,"hall_id":null`` (open-ended: each answer appends the
  per-request members, ``open_now`` and ``distance_m``, then closes it).

The parts sit end to end in one ``uint8`` array per kind with an offset array beside it: at 100k
POIs that is a few arrays instead of 300k bytes objects (less memory, one block to hash). A page of
features is then one compiled call that copies its parts into the answer, writes the per-request
members and joins the features with commas, inside the collection's own prefix and suffix: the
same bytes the Python formatting produced, without a Python object per feature.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from itertools import pairwise

import numpy as np
from numba import njit
from numba.core import cgutils, types
from numba.extending import intrinsic
from numpy.typing import NDArray

U8 = NDArray[np.uint8]
I64 = NDArray[np.int64]

_OPEN_NOW = b',"open_now":'
_DISTANCE = b',"distance_m":'
_FALSE, _TRUE = b"false", b"true"


class Parts:
    """Byte strings end to end in one array, with ``offsets[i]:offsets[i + 1]`` the i-th."""

    __slots__ = ("data", "offsets")

    def __init__(self, data: U8, offsets: I64) -> None:
        self.data = data
        self.offsets = offsets

    @classmethod
    def of(cls, items: Iterable[bytes]) -> Parts:
        builder = PartsBuilder()
        for item in items:
            builder.append(item)
        return builder.finish()

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> bytes:
        return self.data[self.offsets[i]:self.offsets[i + 1]].tobytes()

    def __iter__(self) -> Iterator[bytes]:
        data, bounds = self.data, self.offsets.tolist()
        return (data[a:b].tobytes() for a, b in pairwise(bounds))

    def take(self, positions: I64) -> Parts:
        """The items at ``positions``, in that order, as new Parts."""
        data, offsets = _take(self.data, self.offsets, np.ascontiguousarray(positions, dtype=np.int64))
        return Parts(data, offsets)

    @staticmethod
    def concat(first: Parts, second: Parts) -> Parts:
        """``first``'s items, then ``second``'s."""
        return Parts(np.concatenate((first.data, second.data)),
                     np.concatenate((first.offsets, second.offsets[1:] + first.offsets[-1])))


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
        data = np.frombuffer(self._data, dtype=np.uint8) if self._data else np.zeros(0, dtype=np.uint8)
        return Parts(data, np.frombuffer(self._ends, dtype=np.int64).copy())


def _u8(raw: bytes) -> U8:
    return np.frombuffer(raw, dtype=np.uint8)


_NO_METRES = np.zeros(0, dtype=np.float64)
# The members each feature gets: global arrays, which numba compiles into render_page as constants.
OPEN_NOW_U8, DISTANCE_U8, FALSE_U8, TRUE_U8 = (_u8(raw) for raw in (_OPEN_NOW, _DISTANCE, _FALSE, _TRUE))


def features_page(heads: Parts, bodies: Parts, positions: I64, opens: U8, *, prefix: bytes = b"",
                  suffix: bytes = b"", distances_m: NDArray[np.float64] | None = None, extra: bytes = b"") -> bytes:
    """``prefix``, the Features at ``positions`` joined by commas, then ``suffix``, as one bytes.

    Each Feature is its head, its body, ``"open_now"`` from ``opens`` (one flag per POI),
    ``"distance_m"`` (whole metres, rounded half to even as Python's ``round``) when
    ``distances_m`` is given, then ``extra`` (more members, already rendered) and the closing braces.
    """
    metres = distances_m if distances_m is not None else _NO_METRES
    out = render_page(heads.data, heads.offsets, bodies.data, bodies.offsets, np.ascontiguousarray(positions,
                  dtype=np.int64), opens, metres, distances_m is not None, _u8(prefix), _u8(suffix),
                  _u8(extra))
    return out.tobytes()


@intrinsic
def _memcpy(typingctx, dst, dst_at, src, src_at, count):
    """memcpy of ``count`` bytes between uint8 arrays, unchecked: callers size ``dst`` first."""
    sig = types.void(dst, types.intp, src, types.intp, types.intp)

    def codegen(context, builder, signature, args):
        target = context.make_array(signature.args[0])(context, builder, args[0])
        source = context.make_array(signature.args[2])(context, builder, args[2])
        cgutils.raw_memcpy(builder, builder.gep(target.data, [args[1]]), builder.gep(source.data, [args[3]]),
                           args[4], 1)

    return sig, codegen


@njit(cache=True, nogil=True)
def _take(data, offsets, positions):
    ends = np.empty(len(positions) + 1, np.int64)
    ends[0] = 0
    for j in range(len(positions)):
        p = positions[j]
        if p < 0 or p >= len(offsets) - 1:
            raise IndexError("position out of range")
        ends[j + 1] = ends[j] + offsets[p + 1] - offsets[p]
    out = np.empty(ends[-1], np.uint8)
    for j in range(len(positions)):
        _put(out, ends[j], data, offsets[positions[j]], offsets[positions[j] + 1])
    return out, ends


@njit(cache=True, nogil=True)
def _put(out, at, src, start, stop):
    # numba compiles slice assignments and byte loops to a byte at a time (~0.5 ns per byte, 3-5 us
    # a page); LLVM's memcpy moves the same page in a fraction of that.
    _memcpy(out, at, src, start, stop - start)
    return at + (stop - start)


@njit(cache=True, nogil=True)
def _put_int(out, at, value):
    """Write a non-negative integer in decimal; returns the new end."""
    if value == 0:
        out[at] = 48
        return at + 1
    digits = 0
    rest = value
    while rest > 0:
        digits += 1
        rest //= 10
    end = at + digits
    rest = value
    for k in range(end - 1, at - 1, -1):
        out[k] = 48 + rest % 10
        rest //= 10
    return end


@njit(cache=True, nogil=True)
def _round_half_even(x):
    low = np.floor(x)
    diff = x - low
    if diff > 0.5:
        return np.int64(low) + 1
    if diff < 0.5:
        return np.int64(low)
    base = np.int64(low)
    return base + (base & 1)


@njit(cache=True, nogil=True)
def render_page(head_data, head_off, body_data, body_off, positions, opens, metres, with_distance, prefix, suffix,
                extra):
    n = len(positions)
    size = len(prefix) + len(suffix)
    for j in range(n):
        p = positions[j]
        if p < 0 or p >= len(head_off) - 1 or p >= len(body_off) - 1 or p >= len(opens):
            raise IndexError("position out of range")
        size += head_off[p + 1] - head_off[p] + body_off[p + 1] - body_off[p]
    # Per feature: comma, open_now member, distance member (at most 20 digits), extra, "}}".
    size += n * (1 + len(OPEN_NOW_U8) + len(FALSE_U8) + len(DISTANCE_U8) + 20 + len(extra) + 2)
    out = np.empty(size, np.uint8)
    at = _put(out, 0, prefix, 0, len(prefix))
    for j in range(n):
        p = positions[j]
        if j:
            out[at] = 44  # ,
            at += 1
        at = _put(out, at, head_data, head_off[p], head_off[p + 1])
        at = _put(out, at, body_data, body_off[p], body_off[p + 1])
        at = _put(out, at, OPEN_NOW_U8, 0, len(OPEN_NOW_U8))
        if opens[p]:
            at = _put(out, at, TRUE_U8, 0, len(TRUE_U8))
        else:
            at = _put(out, at, FALSE_U8, 0, len(FALSE_U8))
        if with_distance:
            at = _put(out, at, DISTANCE_U8, 0, len(DISTANCE_U8))
            at = _put_int(out, at, _round_half_even(metres[j]))
        at = _put(out, at, extra, 0, len(extra))
        out[at] = 125  # }
        out[at + 1] = 125
        at += 2
    at = _put(out, at, suffix, 0, len(suffix))
    return out[:at]
