"""The password rules of staff, editors and admins, without I/O."""

from __future__ import annotations

import pytest

from server import passwords


@pytest.mark.parametrize(("password", "broken"), [
    ("Hall-2026", []),                       # upper, lower, digit, other
    ("hallclerk2026!", []),                  # lower, digit, other
    ("HALLCLERK2026", ["classes"]),          # two classes only
    ("hallclerkabc", ["classes"]),
    ("Ab1!", ["length"]),
    ("ab1", ["length", "classes"]),
    ("Clerk.Li-2026", ["username"]),         # contains the username, whatever the case
    ("X9-il.krelc", ["username"]),           # or the username reversed
    ("长城长城长城长城1A", []),              # CJK characters count as "other"
])
def test_rules(password, broken):
    assert passwords.problems(password, username="clerk.li") == broken


def test_weak_password_names_every_broken_rule():
    with pytest.raises(passwords.WeakPassword) as caught:
        passwords.check_strength("clerk", username="clerk")
    fields = caught.value.details["fields"]
    assert [f["code"] for f in fields] == ["length", "classes", "username"]
    assert all(f["field"] == "new_password" and f["message"] for f in fields)
