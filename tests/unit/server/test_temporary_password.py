"""Temporary passwords an administrator hands over: each passes the password rules, none repeats."""

from __future__ import annotations

from server import passwords
from server.accounts_admin import TEMPORARY_LENGTH, temporary_password


def test_temporary_passwords_follow_the_rules_and_differ():
    made = [temporary_password("clerk.li") for _ in range(200)]
    assert all(len(p) == TEMPORARY_LENGTH and not passwords.problems(p, username="clerk.li") for p in made)
    assert all(passwords._classes(p) == 4 for p in made)
    assert len(set(made)) == len(made)


def test_a_temporary_password_never_contains_a_short_username():
    assert all("ab" not in p.lower() and "ba" not in p.lower() for p in (temporary_password("ab") for _ in range(300)))
