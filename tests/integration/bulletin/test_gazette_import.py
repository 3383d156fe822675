"""bianmin import-gazette on the sample archive in tests/data/gazette (good and bad files), twice."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from bulletin import cli
from bulletin.service_search import SearchParams, search_documents
from bulletin.tables import Document, DocumentTag, Issue
from server import clock
from server.tables import OutboxMessage
from tests.support.wording import not_chinese

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "gazette"
BAD = {"04-no-front-matter.md", "05-unknown-agency.md", "06-bad-fields.md", "07-unknown-issue.md",
       "08-bad-yaml.md"}


async def _run(directory: Path, *, notify: bool = False) -> int:
    return await cli.run_import(argparse.Namespace(directory=directory, notify=notify))


async def test_good_files_import_bad_files_are_reported_and_the_exit_status_says_so(db, capsys):
    status = await _run(SAMPLE)
    out, err = capsys.readouterr()
    assert status == 1
    rejected = {line.split()[1].rstrip(":") for line in err.splitlines() if line.startswith("rejected ")}
    assert rejected == BAD
    assert "lhxfj" in err  # the unknown agency is named
    assert "便条" in err and "written_on" in err  # every problem of a file in one pass
    assert "2025-1" in err
    assert "created 3" in out
    documents = {d.index_number: d for d in await Document.all()}
    assert set(documents) == {"11440303MB2C12345X/2024-00012", "11440303MB2C12345X/2024-00031",
                              "11440303MB2C12345X/2024-00040"}
    assert documents["11440303MB2C12345X/2024-00040"].status == "draft"
    policy = documents["11440303MB2C12345X/2024-00012"]
    assert policy.status == "published" and policy.doc_number_norm == "深罗府〔2024〕12号"
    assert policy.section == "区政府文件"
    assert (await Issue.get(id=policy.issue_id)).total_number == 183
    assert "<strong>一个工作日</strong>" in policy.body_html
    # labels in front matter (罗湖区民政局, 办法) became codes
    canteen = documents["11440303MB2C12345X/2024-00031"]
    assert canteen.doc_type == "measures" and canteen.doc_number_norm == "罗民〔2024〕3号"
    assert canteen.doc_number == "罗民〔2024〕3号"  # typed 罗民[2024]3号: kept in the form of GB/T 9704
    for typed in ("罗民[2024]3号", "罗民【2024】3号", "罗民（2024）3号", "罗民(2024)3", "罗民〔２０２４〕３号"):
        found = await search_documents(SearchParams(q=typed), use_cache=False)
        assert [(i["id"], i["doc_number"]) for i in found["items"]][:1] == [(canteen.id, "罗民〔2024〕3号")], typed
    tags = {(t.kind, t.value) for t in await DocumentTag.filter(document_id=policy.id)}
    assert tags == {("industry", "F"), ("industry", "H"), ("size", "small"), ("size", "micro"),
                    ("division", "440303")}


async def test_importing_twice_changes_nothing_and_archives_do_not_notify(db, capsys):
    await _run(SAMPLE)
    capsys.readouterr()
    await _run(SAMPLE)
    out, _ = capsys.readouterr()
    assert "created 0, updated 0, unchanged 3" in out
    assert await Document.all().count() == 3
    events = await OutboxMessage.filter(topic="gazette.published").order_by("id")
    published = {d.id for d in await Document.filter(status="published")}
    assert [e.payload["id"] for e in events] == sorted(published)
    assert all(e.payload == {"kind": "document", "id": e.payload["id"], "notify": False} for e in events)


async def test_notify_flag_writes_the_plain_publication_event(db, capsys):
    await _run(SAMPLE, notify=True)
    events = await OutboxMessage.filter(topic="gazette.published")
    assert len(events) == 2
    assert all(e.payload == {"kind": "document", "id": e.payload["id"]} for e in events)
    assert all(e.dedup_key.startswith(f"gazette.published:document:{e.payload['id']}:") for e in events)


async def test_imported_documents_are_searchable_by_words_and_cited_doc_number(db, capsys):
    await _run(SAMPLE)
    found = await search_documents(SearchParams(q="长者饭堂"), use_cache=False)
    assert [i["title"] for i in found["items"]] == ["罗湖区长者饭堂运营补贴管理办法"]
    # 深罗府〔2024〕12号 is the policy's own 文号 and is cited by the canteen measures.
    cited = await search_documents(SearchParams(q="深罗府(2024)12号"), use_cache=False)
    assert [i["title"] for i in cited["items"]] == [
        "关于印发《罗湖区优化营商环境若干措施》的通知", "罗湖区长者饭堂运营补贴管理办法"]


async def test_a_changed_file_updates_its_document(db, tmp_path, capsys):
    for path in SAMPLE.iterdir():
        (tmp_path / path.name).write_text(path.read_text("utf-8"), "utf-8")
    await _run(tmp_path)
    await _run(tmp_path)  # unchanged: no correction for feed readers
    assert await Document.filter(corrected_at__isnull=False).count() == 0
    clock.freeze(datetime(2026, 12, 7, 6, 30, tzinfo=UTC))
    changed = (tmp_path / "02-yanglao.md").read_text("utf-8").replace("按服务人次", "按实际服务人次")
    (tmp_path / "02-yanglao.md").write_text(changed, "utf-8")
    capsys.readouterr()
    await _run(tmp_path)
    out, _ = capsys.readouterr()
    assert "created 0, updated 1, unchanged 2" in out
    canteen = await Document.get(index_number="11440303MB2C12345X/2024-00031")
    assert "按实际服务人次" in canteen.body_text
    assert canteen.corrected_at == datetime(2026, 12, 7, 6, 30, tzinfo=UTC)  # the Atom entry's <updated>
    found = await search_documents(SearchParams(q="实际服务"), use_cache=False)
    assert found["total"] == 1


async def test_a_bad_entry_is_reported_in_chinese_naming_its_field(db, tmp_path, capsys):
    (tmp_path / "issues.yaml").write_text("- year: 2024\n  number: 0\n  total_number: 185\n  published_on: '2024-13-01'\n"
                                          "  surprise: 1\n", "utf-8")
    good = (SAMPLE / "02-yanglao.md").read_text("utf-8").replace('issue: "2024-4"\n', "")
    (tmp_path / "good.md").write_text(good, "utf-8")
    (tmp_path / "no-such-day.md").write_text(good.replace("2024-12-02", "2024-02-30").replace("00031", "00032"), "utf-8")
    await _run(tmp_path)
    out, err = capsys.readouterr()
    reasons = next(line for line in err.splitlines() if "issues.yaml" in line)
    for reason in ("number：应大于或等于 1", "title：缺少必填字段", "published_on：日期格式不正确", "surprise：不允许的字段"):
        assert reason in reasons
    assert not_chinese(reasons.split("第 1 项", 1)[1]) is None, reasons
    # A day the calendar lacks (YAML reads it as a date) is that file's problem; the others import.
    assert "不存在的日期" in next(line for line in err.splitlines() if "no-such-day.md" in line)
    assert "created 1" in out


async def test_a_missing_directory_is_exit_status_2(db, tmp_path, capsys):
    assert await _run(tmp_path / "nowhere") == 2
