"""Pure rules of letters: ratings, reopening once, automatic closing, overdue, the dispatcher's suggestion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bulletin.textsearch import index_text, match
from questions.model import (
    TransitionRefused,
    auto_close_due,
    check_step,
    is_overdue,
    rate,
    ratio,
    suggest_department,
)


def test_unsatisfied_reopens_once_then_closes():
    assert rate("unsatisfied", reopens=0).status == "assigned" and rate("unsatisfied", reopens=0).reopens == 1
    assert rate("unsatisfied", reopens=1).status == "closed"
    assert rate("satisfied", reopens=0).status == "closed" and rate("basically_satisfied", reopens=0).reopens == 0


def test_steps_only_from_their_statuses():
    check_step("assigned", "reply")
    for status, action in (("received", "reply"), ("closed", "rate"), ("held", "assign"), ("replied", "transfer")):
        with pytest.raises(TransitionRefused):
            check_step(status, action)


def test_seven_days_after_a_reply_it_closes_and_a_deadline_passes_after_its_day():
    replied = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert not auto_close_due(replied, replied + timedelta(days=6, hours=23))
    assert auto_close_due(replied, replied + timedelta(days=7))
    assert not is_overdue(date(2026, 12, 8), date(2026, 12, 8)) and is_overdue(date(2026, 12, 8), date(2026, 12, 9))
    assert not is_overdue(None, date(2026, 12, 9))


def test_suggestion_prefers_the_department_of_the_place():
    departments = [(1, ["city"], []), (2, ["city"], ["440303001"]), (3, ["housing"], [])]
    assert suggest_department(category="city", divisions=["440303001"], departments=departments) == 2
    assert suggest_department(category="city", divisions=["440303999"], departments=departments) == 1
    assert suggest_department(category="housing", divisions=[], departments=departments) == 3
    assert suggest_department(category="tax", divisions=[], departments=departments) is None


def test_ratio_of_nothing_is_none():
    assert ratio(2, 3) == 0.6667 and ratio(0, 0) is None


def test_the_gazette_search_pieces_work_for_other_tables():
    assert match("  ", dialect="postgres") is None
    found = match("社保卡补办", dialect="sqlite")
    assert found is not None and "社保" in "".join(found.highlights)
    assert '"' in found.expression and " AND " in found.expression
    assert "社保" in index_text("社保卡丢了").split()
