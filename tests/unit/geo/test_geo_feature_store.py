"""The page writer against plain Python formatting of the same parts."""

from __future__ import annotations

import numpy as np
import orjson

from geo.feature_store import Parts, features_page


def reference(heads: list[bytes], bodies: list[bytes], positions: list[int], opens: list[bool],
              metres: list[float] | None, extra: bytes) -> bytes:
    out = []
    for j, p in enumerate(positions):
        tail = b',"open_now":' + (b"true" if opens[p] else b"false")
        if metres is not None:
            tail += b',"distance_m":%d' % round(metres[j])
        out.append(heads[p] + bodies[p] + tail + extra + b"}}")
    return b",".join(out)


def test_parts_hand_back_each_item_and_iterate_in_order():
    items = [b"", "一二".encode(), b"abc", b"x" * 70_000]
    parts = Parts.of(items)
    assert len(parts) == 4 and [parts[i] for i in range(4)] == items and list(parts) == items
    assert list(Parts.of([])) == [] and len(Parts.of([])) == 0


def test_pages_equal_the_python_formatting_for_random_parts_and_distances():
    rng = np.random.default_rng(5)
    n = 300
    heads = [b'{"id":%d,' % i for i in range(n)]
    bodies = [f'"properties":{{"name":"服务点{i}"'.encode() for i in range(n)]
    opens = rng.random(n) < 0.5
    store_h, store_b = Parts.of(heads), Parts.of(bodies)
    for k in range(50):
        positions = rng.choice(n, size=int(rng.integers(0, 25)), replace=False)
        # Whole and half metres (round half to even), tiny, and far beyond any radius.
        metres = rng.integers(0, 40_000, len(positions)) / 2.0
        if len(metres) >= 2:
            metres[:2] = (0.0, 1e9 + 0.5)
        with_distance = k % 3 != 0
        extra = b',"cluster":false' if k % 5 == 0 else b""
        page = features_page(store_h, store_b, positions, opens, prefix=b"[", suffix=b"]",
                             distances_m=metres if with_distance else None, extra=extra)
        want = reference(heads, bodies, positions.tolist(), opens.tolist(),
                         metres.tolist() if with_distance else None, extra)
        assert page == b"[" + want + b"]"
        assert len(orjson.loads(page)) == len(positions)


def test_half_metres_round_to_even_like_python():
    heads, bodies = Parts.of([b"{"]), Parts.of([b'"p":{"a":1'])
    values = [0.5, 1.5, 2.5, 2.4999999, 2.5000001, 7.0, 12.5, 13.5]
    page = features_page(heads, bodies, np.zeros(len(values), dtype=np.int64), np.array([True]),
                         prefix=b"[", suffix=b"]", distances_m=np.array(values))
    assert [f["p"]["distance_m"] for f in orjson.loads(page)] == [round(v) for v in values] == [0, 2, 2, 2, 3, 7, 12, 14]


def test_a_position_outside_the_parts_is_refused_not_read():
    parts = Parts.of([b"{", b"{"])
    for bad in (2, -1):
        try:
            features_page(parts, parts, np.array([0, bad]), np.array([True, False]), distances_m=None)
        except IndexError:
            continue
        raise AssertionError(f"position {bad} was accepted")


def test_parts_take_and_concat_keep_each_item_whole():
    first, second = Parts.of([b"a", b"", "三".encode()]), Parts.of([b"xyz", b"q"])
    both = Parts.concat(first, second)
    assert list(both) == [b"a", b"", "三".encode(), b"xyz", b"q"]
    assert list(both.take(np.array([4, 0, 2, 2, 1]))) == [b"q", b"a", "三".encode(), "三".encode(), b""]
    assert list(both.take(np.array([], dtype=np.int64))) == []
    try:
        both.take(np.array([5]))
    except IndexError:
        return
    raise AssertionError("a position past the end was taken")
