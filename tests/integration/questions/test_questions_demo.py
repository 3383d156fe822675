"""The demo of asking the district: ~100 labelled entries in every category, searchable; letters in each
state; seeding twice changes nothing."""

from __future__ import annotations

from questions import demo, service_answers, service_publication
from questions.model import SEED_CATEGORIES
from questions.tables import Column, Department, Entry, Letter


async def test_demo_is_complete_labelled_searchable_and_idempotent(db, capsys):
    await demo.seed()
    counts = (await Entry.all().count(), await Department.all().count(), await Letter.all().count())
    await demo.seed()
    assert counts == (await Entry.all().count(), await Department.all().count(), await Letter.all().count())
    entries = await Entry.all()
    assert len(entries) >= 95 and all("【演示数据】" in e.answer_text and e.status == "published" for e in entries)
    assert {e.category for e in entries} == {code for code, _ in SEED_CATEGORIES}
    assert await Column.all().count() == 5
    assert {x.status for x in await Letter.all()} == {"received", "assigned", "replied", "closed"}
    found = await service_answers.search_answers(q="社保")
    assert found["total"] >= 3 and found["items"][0]["question_matched"]
    assert not found["items"][-1]["question_matched"]  # answer-only matches come last
    public = await service_publication.public_letters(q="物业费", limit=5, after=None)
    assert [x["title"] for x in public["items"]] == ["物业擅自上调物业费"]  # published demo letters are searchable
    assert "[demo data]" in capsys.readouterr().out
