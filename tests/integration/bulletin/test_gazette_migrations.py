"""The gazette's data migrations on both backends: what they do to rows an older release wrote."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from bulletin.tables import Document
from server import storage
from tests.integration.bulletin.gazette_support import published

corrections = importlib.import_module("bulletin.migrations.0003_corrections")


async def test_doc_numbers_stored_as_typed_are_rewritten_in_the_standard_form(db):
    typed = await published("关于学位申请的通知", doc_number="罗教〔2026〕21号")
    standard = await published("关于招生的通知", doc_number="罗教〔2026〕22号")
    undated = await published("没有文号的通知")
    # What an older release stored: the 文号 as typed, its lookup form normalised.
    await Document.filter(id=typed).update(doc_number="罗教[2026] 第21号")
    await corrections.standard_doc_numbers(None, SimpleNamespace(client=storage.db()))
    rows = {d.id: (d.doc_number, d.doc_number_norm) for d in await Document.all()}
    assert rows == {typed: ("罗教〔2026〕21号", "罗教〔2026〕21号"), standard: ("罗教〔2026〕22号", "罗教〔2026〕22号"),
                    undated: (None, None)}
    await corrections.standard_doc_numbers(None, SimpleNamespace(client=storage.db()))  # again: nothing changes
    assert {d.id: (d.doc_number, d.doc_number_norm) for d in await Document.all()} == rows
