"""Each test starts from empty tables, so the worker's in-memory map index must not answer from the last one."""

from __future__ import annotations

import pytest

from tests.integration.geo.geo_support import fresh_index


@pytest.fixture(autouse=True)
def _fresh_map_index():
    fresh_index()
    yield
    fresh_index()
