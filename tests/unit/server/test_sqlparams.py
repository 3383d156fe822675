"""The one placeholder binder for hand-written SQL on both databases (server/sqlparams.py)."""

from __future__ import annotations

import datetime as dt

from server.sqlparams import Params, for_dialect


def test_placeholders_are_numbered_and_typed_on_postgres():
    p = Params("postgres")
    text = f"SELECT {p(7)} + {p('a', 'text')}"
    assert text == "SELECT $1::int + $2::text" and p.values == [7, "a"]


def test_placeholders_are_numbered_on_sqlite():
    p = Params("sqlite")
    assert f"{p(7)}, {p('a', 'text')}" == "?1, ?2" and p.values == [7, "a"]


def test_many_is_an_array_on_postgres_and_an_in_list_on_sqlite():
    pg, lite = Params("postgres"), Params("sqlite")
    assert pg.many(["x", "y"]) == "= ANY($1::text[])" and pg.values == [["x", "y"]]
    assert lite.many(["x", "y"]) == "IN (?1, ?2)" and lite.values == ["x", "y"]


def test_a_dollar_statement_is_adapted_for_sqlite_with_times_as_tortoise_stores_them():
    moment = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    statement, values = for_dialect("UPDATE t SET a = $2 WHERE id = $1 AND day = $3 AND b = $12",
                                    [1, moment, dt.date(2026, 12, 7)], "sqlite")
    assert statement == "UPDATE t SET a = ?2 WHERE id = ?1 AND day = ?3 AND b = ?12"
    assert values == [1, "2026-12-07 01:00:00+00:00", "2026-12-07"]


def test_a_dollar_statement_is_unchanged_for_postgres():
    moment = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    assert for_dialect("SELECT $1", [moment], "postgres") == ("SELECT $1", [moment])
