"""The demo gazette: three issues, about forty documents, five interpretations, labelled, idempotent."""

from __future__ import annotations

from bulletin import demo
from bulletin.service_search import SearchParams, search_documents
from bulletin.tables import Document, DocumentTag, InterpretationLink, Issue
from server.tables import OutboxMessage


async def test_demo_gazette_is_complete_labelled_and_idempotent(db, capsys):
    from appointments import demo as appointments_demo

    await appointments_demo.seed()  # the registry seeds appointments before the gazette
    await demo.seed()
    counts = (await Issue.all().count(), await Document.filter(kind="document").count(),
              await Document.filter(kind="interpretation").count(), await InterpretationLink.all().count(),
              await OutboxMessage.filter(topic="gazette.published").count())
    await demo.seed()
    again = (await Issue.all().count(), await Document.filter(kind="document").count(),
             await Document.filter(kind="interpretation").count(), await InterpretationLink.all().count(),
             await OutboxMessage.filter(topic="gazette.published").count())
    assert counts == again == (3, 36, 5, 8, 41)
    documents = await Document.all()
    assert all(d.status == "published" and d.summary.startswith("【演示数据】") for d in documents)
    assert all("【演示数据】" in d.body_text for d in documents)
    assert len({d.agency_id for d in documents}) >= 8
    assert len({d.doc_type for d in documents if d.kind == "document"}) >= 6
    assert {d.disclosure for d in documents} == {"decision", "execution", "management", "service", "result"}
    enterprise = await DocumentTag.filter(kind="size").values_list("document_id", flat=True)
    assert len(set(enterprise)) >= 8
    linked = [d for d in documents if d.services]
    assert linked, "documents link to the appointments demo's service items"
    found = await search_documents(SearchParams(q="长者饭堂"), use_cache=False)
    assert found["total"] >= 1
    assert "[demo data]" in capsys.readouterr().out
