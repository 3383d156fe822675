"""Atom 1.0 feed structure (RFC 4287), checked by parsing the XML we produce."""

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bulletin.atom import AtomEntry, build_feed, rfc3339, tag_uri

A = "{http://www.w3.org/2005/Atom}"
CST = timezone(timedelta(hours=8))
BASE = "https://gazette.luohu.example.gov.cn"


def _entry(number: int, *, day: int, author: str | None = None) -> AtomEntry:
    return AtomEntry(
        id=tag_uri(authority="gazette.luohu.example.gov.cn", minted_on=date(2024, 1, 1),
                   specific=f"document/{number}"),
        title=f"关于印发第{number}号文件的通知",
        link=f"{BASE}/d/{number}",
        updated=datetime(2024, 5, day, 10, 30, tzinfo=CST),
        published=datetime(2024, 5, day, 9, 0, tzinfo=CST),
        summary="为进一步优化营商环境 & 提升服务 <水平>",
        author=author,
    )


def _feed(entries: list[AtomEntry], **overrides: object) -> ET.Element:
    arguments: dict = {
        "feed_id": tag_uri(authority="gazette.luohu.example.gov.cn", minted_on=date(2024, 1, 1),
                           specific="feed"),
        "title": "罗湖区人民政府公报",
        "self_url": f"{BASE}/gazette/feed.xml",
        "alternate_url": f"{BASE}/gazette",
        "entries": entries,
        "author": "罗湖区人民政府办公室",
    } | overrides
    return ET.fromstring(build_feed(**arguments))


def test_feed_has_the_elements_rfc_4287_requires() -> None:
    feed = _feed([_entry(2, day=7), _entry(1, day=6)])
    assert feed.tag == f"{A}feed"
    assert feed.findtext(f"{A}id") == "tag:gazette.luohu.example.gov.cn,2024-01-01:feed"
    assert feed.findtext(f"{A}title") == "罗湖区人民政府公报"
    assert feed.findtext(f"{A}author/{A}name") == "罗湖区人民政府办公室"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links == {"self": f"{BASE}/gazette/feed.xml", "alternate": f"{BASE}/gazette"}
    # updated defaults to the newest entry's updated time
    assert feed.findtext(f"{A}updated") == "2024-05-07T10:30:00+08:00"


def test_each_entry_has_id_title_dates_link_and_summary() -> None:
    entries = _feed([_entry(2, day=7), _entry(1, day=6)]).findall(f"{A}entry")
    assert [e.findtext(f"{A}id") for e in entries] == [
        "tag:gazette.luohu.example.gov.cn,2024-01-01:document/2",
        "tag:gazette.luohu.example.gov.cn,2024-01-01:document/1",
    ]
    first = entries[0]
    assert first.findtext(f"{A}title") == "关于印发第2号文件的通知"
    assert datetime.fromisoformat(first.findtext(f"{A}updated")) == datetime(
        2024, 5, 7, 2, 30, tzinfo=UTC
    )
    assert first.findtext(f"{A}published") == "2024-05-07T09:00:00+08:00"
    link = first.find(f"{A}link")
    assert (link.get("rel"), link.get("href")) == ("alternate", f"{BASE}/d/2")
    assert first.findtext(f"{A}summary") == "为进一步优化营商环境 & 提升服务 <水平>"


def test_feed_without_author_needs_an_author_on_every_entry() -> None:
    with pytest.raises(ValueError):
        build_feed(feed_id="tag:x.cn,2024-01-01:f", title="t", self_url="https://x.cn/f",
                   alternate_url="https://x.cn", entries=[_entry(1, day=6)])
    feed = _feed([_entry(1, day=6, author="区发展和改革局")], author=None)
    assert feed.find(f"{A}author") is None
    assert feed.findtext(f"{A}entry/{A}author/{A}name") == "区发展和改革局"


def test_empty_feed_needs_an_explicit_updated_time() -> None:
    with pytest.raises(ValueError):
        _feed([])
    feed = _feed([], updated=datetime(2024, 5, 1, tzinfo=CST))
    assert feed.findtext(f"{A}updated") == "2024-05-01T00:00:00+08:00"
    assert feed.findall(f"{A}entry") == []


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        rfc3339(datetime(2024, 5, 1, 9, 0))


def test_characters_xml_forbids_are_dropped_so_the_feed_still_parses() -> None:
    dirty = replace(_entry(1, day=6), title="关于\x0b印发\x00通知")
    assert _feed([dirty]).findtext(f"{A}entry/{A}title") == "关于印发通知"


def test_tag_uri_follows_rfc_4151() -> None:
    uri = tag_uri(authority="example.gov.cn", minted_on=date(2024, 1, 1),
                  specific="gazette/document/42")
    assert uri == "tag:example.gov.cn,2024-01-01:gazette/document/42"
    assert tag_uri(authority="zwgk@example.gov.cn", minted_on=date(2024, 1, 1),
                   specific="公报 1") == "tag:zwgk@example.gov.cn,2024-01-01:%E5%85%AC%E6%8A%A5%201"
    with pytest.raises(ValueError):
        tag_uri(authority="not a domain", minted_on=date(2024, 1, 1), specific="x")
