"""README's "trying logins by hand": `python -m tests.fake_wechat` prints codes and mints more over HTTP."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.request import Request, urlopen

import pytest


def _get(url: str) -> dict:
    with urlopen(url, timeout=5) as answer:
        return json.loads(answer.read())


@pytest.fixture(scope="module")
def standalone():
    proc = subprocess.Popen([sys.executable, "-m", "tests.fake_wechat", "--port", "0"],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    lines = [proc.stdout.readline() for _ in range(5)]
    yield "".join(lines)
    proc.terminate()
    proc.wait(timeout=10)


def _session(base: str, code: str) -> dict:
    return _get(f"{base}/sns/jscode2session?appid=wxfake0000000001&secret=fake-secret&js_code={code}"
                "&grant_type=authorization_code")


def test_the_printed_and_minted_login_codes_log_in_once_each(standalone):
    base = re.search(r"fake WeChat on (http://127\.0\.0\.1:\d+)", standalone).group(1)
    assert f"BIANMIN_WECHAT_API_BASE={base}" in standalone
    printed = re.search(r"login code (code-[0-9a-f]+)", standalone).group(1)
    assert _session(base, printed)["openid"] == "oResident1"
    minted = _get(f"{base}/fake/login-code?openid=oNeighbour2")["code"]
    assert _session(base, minted)["openid"] == "oNeighbour2"
    assert _session(base, minted)["errcode"] == 40163  # single use, as WeChat's codes are


def _phone_of(base: str, code: str) -> dict:
    token = _get(f"{base}/cgi-bin/token?grant_type=client_credential&appid=wxfake0000000001&secret=fake-secret")
    request = Request(
        f"{base}/wxa/business/getuserphonenumber?access_token={token['access_token']}",
        data=json.dumps({"code": code}).encode(), headers={"content-type": "application/json"})
    with urlopen(request, timeout=5) as answer:
        return json.loads(answer.read())


def test_the_printed_and_minted_phone_codes_give_their_numbers(standalone):
    base = re.search(r"fake WeChat on (http://\S+) ", standalone).group(1)
    printed = re.search(r"phone code (phone-[0-9a-f]+)", standalone).group(1)
    assert _phone_of(base, printed)["phone_info"]["purePhoneNumber"] == "13800138000"
    minted = _get(f"{base}/fake/phone-code?phone=13912345678")["code"]
    assert _phone_of(base, minted)["phone_info"]["purePhoneNumber"] == "13912345678"
