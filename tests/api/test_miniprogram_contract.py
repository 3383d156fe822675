"""The Python half of the mini-program's contract with the server.

The API half is miniprogram/tests/contract/api-contract.test.js (run by `make test-miniprogram`):
it holds every call the mini-program makes to the OpenAPI document built from this app. Here the
server's side: every mini-program page the server links to (WeChat messages, mini-program codes,
feed items) exists, and the mini-program's input checks agree with server.pii on 身份证 and phones.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from server import pii

ROOT = Path(__file__).resolve().parents[2]
MINIPROGRAM = ROOT / "miniprogram"
SERVER_PACKAGES = ("server", "geo", "appointments", "bulletin", "questions")
PAGE_LITERAL = re.compile(r"""["'](pages/[\w/-]+)(?:\?[^"']*)?["']""")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true")


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        if IN_CI:
            pytest.fail("node is needed to run the mini-program's input checks")
        pytest.skip("node is not installed: the mini-program's input checks cannot run")
    return node


def test_pages_the_server_links_to_exist_in_the_mini_program():
    pages = set(json.loads((MINIPROGRAM / "app.json").read_text(encoding="utf-8"))["pages"])
    linked: dict[str, str] = {}
    for package in SERVER_PACKAGES:
        for source in (ROOT / package).rglob("*.py"):
            for match in PAGE_LITERAL.finditer(source.read_text(encoding="utf-8")):
                linked.setdefault(match.group(1), str(source.relative_to(ROOT)))
    assert "pages/booking/detail" in linked and "pages/gazette/reader/reader" in linked
    missing = {page: source for page, source in linked.items() if page not in pages}
    assert missing == {}


def _mini_program_checks(function: str, values: list[str]) -> list[dict[str, Any]]:
    """Run one of miniprogram/utils/validators.js's checks over the values, in node."""
    script = ("const v = require(process.argv[1]); const values = JSON.parse(process.argv[3]);"
              "console.log(JSON.stringify(values.map(x => v[process.argv[2]](x))))")
    validators = str(MINIPROGRAM / "utils" / "validators.js")
    done = subprocess.run([_node(), "-e", script, validators, function, json.dumps(values)],
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def _server_check(normalize: Any, value: str) -> tuple[bool, str]:
    try:
        return True, normalize(value)
    except pii.PiiFormatError:
        return False, ""


def _assert_agree(function: str, normalize: Any, values: list[str]) -> None:
    for value, answer in zip(values, _mini_program_checks(function, values), strict=True):
        ours = (answer["ok"], answer["value"] if answer["ok"] else "")
        assert ours == _server_check(normalize, value), value


def _id_numbers() -> list[str]:
    # GB 11643's check character by its definition: (12 - Σ a_i·2^(17-i) mod 11) mod 11, 10 as X.
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    values = ["11010519491231002X", "11010519491231002x", "440303202302301234", "99030319800101123X",
              "4403031980010112", "１１０１０５１９４９１２３１００２Ｘ", "44030318991231123X",
              # Digits of other scripts are refused by both; mathematical digits fold to ASCII under NFKC.
              "\u066440303199001011237", "4403031990010112\u0969\u096d", "".join(chr(0x1D7CE + int(c)) for c in
                                                                                 "440303199001011237")]
    for seed in range(40):
        born = f"19{50 + seed % 50:02d}{1 + seed % 12:02d}{1 + seed % 28:02d}"
        first = f"4403{seed % 10}{seed * 7 % 10}{born}{seed:03d}"
        check = (12 - sum(int(d) * w for d, w in zip(first, weights, strict=True)) % 11) % 11
        values += [first + ("X" if check == 10 else str(check)), first + str((check + 1) % 10)]
    return values


def _credit_codes() -> list[str]:
    # GB 32100's check character: 31 - (Σ c_i·3^i mod 31), over the alphabet without I, O, S, V, Z.
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    values = ["91350100M000100Y43", "91350100m000100y43", "91350100M000100Y44", "91350100M000100I43",
              "9135"]
    for seed in range(20):
        first = f"9{1 + seed % 3}4403{seed:02d}MA5D{alphabet[seed]}{alphabet[30 - seed]}QX0"
        weighted = sum(alphabet.index(c) * (3 ** i % 31) for i, c in enumerate(first))
        check = alphabet[(31 - weighted % 31) % 31]
        values += [first + check, first + alphabet[(alphabet.index(check) + 1) % 31]]
    return values


def test_the_id_number_check_agrees_with_the_server():
    _assert_agree("checkIdNumber", pii.normalize_id_number, _id_numbers())


def test_the_phone_check_agrees_with_the_server():
    phones = ["13800138000", "+86 138-0013-8000", "12800138000", "1380013800", "008619912345678",
              "0755-25666345", "１３８００１３８０００", "86 199 1234 5678", "+8613800138000x",
              "1380013800\u096e", "\u0661\u0663800138000", "138001380\u0e50\u0e50"]
    _assert_agree("checkPhone", pii.normalize_phone, phones)


def test_the_credit_code_check_agrees_with_the_server():
    values = _credit_codes()
    assert sum(_server_check(pii.normalize_credit_code, v)[0] for v in values) >= 20
    _assert_agree("checkCreditCode", pii.normalize_credit_code, values)
