"""Personal information: validate, mask, encrypt and keep out of the logs.

身份证 (GB 11643-1999), 统一社会信用代码 (GB 32100-2015) and mainland mobile numbers are
validated and normalised at the edge, stored encrypted and found again through a keyed hash
(server/pii_vault.py), and shown or logged only masked. Pure: no I/O besides the logging filter.

Region prefixes accepted for 身份证: the 31 mainland provinces plus 81/82/83, the address
codes of 港澳台居民居住证 (residence permits carry a GB 11643 number and are accepted at every
service hall). 71 (Taiwan in GB/T 2260) is refused: no number has ever been issued with it.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date
from typing import Any, Literal


class PiiFormatError(ValueError):
    """A personal identifier that is not well formed; ``reason`` says which rule failed."""

    code = "invalid_pii"
    message = "证件号码无效"

    def __init__(self, reason: str = "invalid", message: str | None = None) -> None:
        self.reason = reason
        self.message = message or type(self).message
        super().__init__(self.message)


class InvalidIdNumber(PiiFormatError):
    code = "invalid_id_number"
    message = "身份证号码无效"


class InvalidCreditCode(PiiFormatError):
    code = "invalid_credit_code"
    message = "统一社会信用代码无效"


class InvalidPhone(PiiFormatError):
    code = "invalid_phone"
    message = "手机号码无效，请输入11位中国大陆手机号码"


# --- 居民身份证 -------------------------------------------------------------------------------

_PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, *range(31, 38), *range(41, 47), *range(50, 55),
     *range(61, 66), 81, 82, 83]
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(17-i) mod 11
_ID_CHECK = "10X98765432"  # indexed by the weighted sum mod 11
# ASCII digits only: ``\d`` matches the digits of every script (٤, ४, ৪, ๔), which int() reads too, so
# one number could be spelled many ways and hashed as many people.
_ID_FORM = re.compile(r"[0-9]{17}[0-9X]")


def _clean(raw: object, error: type[PiiFormatError]) -> str:
    """NFKC, trimmed, upper case: the one spelling that is validated, stored and hashed.

    NFKC folds compatibility forms into ASCII: full-width digits and letters typed on phone
    keyboards (０-９, Ｘ), and mathematical, circled or superscript digits (𝟎, ①, ¹). Digits of
    other scripts (Arabic-Indic, Devanagari, Bengali, Thai...) stay what they are, and every
    validator then accepts ASCII only.
    """
    if not isinstance(raw, str):
        raise error("type")
    return unicodedata.normalize("NFKC", raw).strip().upper()


def normalize_id_number(s: str, today: date | None = None) -> str:
    """Validate a 居民身份证 number and return it with an upper-case X."""
    value = _clean(s, InvalidIdNumber)
    if len(value) != 18:
        raise InvalidIdNumber("length", "身份证号码应为18位")
    if not _ID_FORM.fullmatch(value):
        raise InvalidIdNumber("characters", "身份证号码应为17位数字加1位数字或X")
    if int(value[:2]) not in _PROVINCES:
        raise InvalidIdNumber("region", "身份证号码的地区码无效")
    _birth_date(value, today or date.today())
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        raise InvalidIdNumber("checksum", "身份证号码校验位不正确，请检查是否输错")
    return value


def _birth_date(value: str, today: date) -> date:
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber("birth_date", "身份证号码中的出生日期无效") from None
    if born.year < 1900 or born > today:
        raise InvalidIdNumber("birth_date", "身份证号码中的出生日期无效")
    return born


def id_birth_date(id_number: str) -> date:
    """The date of birth encoded in a 身份证 number."""
    return _birth_date(normalize_id_number(id_number), date.max)


def id_gender(id_number: str) -> Literal["male", "female"]:
    """The gender encoded in a 身份证 number: the 17th digit is odd for men."""
    return "male" if int(normalize_id_number(id_number)[16]) % 2 else "female"


# --- 统一社会信用代码 -------------------------------------------------------------------------

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^i mod 31
# Registration authority (position 1) -> organisation types it registers (position 2).
_CREDIT_TYPES = {
    "1": "1239", "2": "19", "3": "123459", "4": "19", "5": "1239", "6": "129",
    "7": "129", "8": "19", "9": "123", "A": "19", "N": "1239", "Y": "1",
}


def normalize_credit_code(s: str) -> str:
    """Validate a 统一社会信用代码 and return it in upper case."""
    value = _clean(s, InvalidCreditCode)
    if len(value) != 18:
        raise InvalidCreditCode("length", "统一社会信用代码应为18位")
    if any(c not in _CREDIT_ALPHABET for c in value):
        raise InvalidCreditCode("characters", "统一社会信用代码含有无效字符（不使用I、O、S、V、Z）")
    if value[1] not in _CREDIT_TYPES.get(value[0], ""):
        raise InvalidCreditCode("category", "统一社会信用代码的登记管理部门或机构类别无效")
    digits = [_CREDIT_ALPHABET.index(c) for c in value[:17]]
    total = sum(d * w for d, w in zip(digits, _CREDIT_WEIGHTS, strict=True))
    # The check character brings the weighted sum to a multiple of 31.
    if _CREDIT_ALPHABET[-total % 31] != value[17]:
        raise InvalidCreditCode("checksum", "统一社会信用代码校验位不正确，请检查是否输错")
    return value


# --- mobile numbers ---------------------------------------------------------------------------

_PHONE_FORM = re.compile(r"(?:\+86|0086|86)?(1[3-9][0-9]{9})")  # ASCII digits only, as for 身份证


def normalize_phone(s: str) -> str:
    """Validate a mainland mobile number (+86, spaces and dashes allowed); return 11 digits."""
    compact = re.sub(r"[\s-]", "", _clean(s, InvalidPhone))
    match = _PHONE_FORM.fullmatch(compact)
    if match is None:
        raise InvalidPhone("format")
    return match.group(1)


# --- masking ----------------------------------------------------------------------------------

_COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "夏侯", "令狐", "端木", "申屠", "太史", "钟离", "独孤", "南宫",
    "西门", "百里", "呼延", "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "轩辕",
))


def _keep_ends(value: str, head: int, tail: int) -> str:
    # Too short to show both ends without revealing most of it: hide everything.
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail:]


def mask_id_number(id_number: str) -> str:
    """身份证 for display: first 4 and last 4 kept (``4403**********123X``)."""
    return _keep_ends(id_number.strip().upper(), 4, 4)


def mask_credit_code(code: str) -> str:
    """统一社会信用代码 for display: first 4 and last 4 kept."""
    return _keep_ends(code.strip().upper(), 4, 4)


def mask_phone(phone: str) -> str:
    """Mobile number for display: ``138****5678``."""
    try:
        phone = normalize_phone(phone)
    except InvalidPhone:
        phone = phone.strip()
    return _keep_ends(phone, 3, 4)


def mask_name(name: str) -> str:
    """Name for display: the surname kept (``张*``, ``张**``, ``欧阳**``, ``J***``)."""
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    keep = 2 if len(name) > 2 and name[:2] in _COMPOUND_SURNAMES else 1
    return name[:keep] + "*" * (len(name) - keep)


# --- logs -------------------------------------------------------------------------------------

# Digit runs are bounded on both sides (and not the digits of a decimal or a dotted version) so
# timestamps, amounts and longer ids are left alone; only exact 18- and 11-digit shapes are masked,
# and an 18-digit run only when it starts like a 身份证 (a region and a plausible birth date).
_EDGE_BEFORE = r"(?<!\d)(?<!\d\.)"
_EDGE_AFTER = r"(?!\d)(?!\.\d)"
_ID_SHAPE = re.compile(_EDGE_BEFORE + r"[1-8]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])\d{3}[\dXx]"
                       + _EDGE_AFTER)
_PHONE_SHAPE = re.compile(
    _EDGE_BEFORE + r"(?P<prefix>(?:\+|00)?86[ -]?)?(?P<a>1[3-9]\d)(?P<sep>[ -]?)(?P<b>\d{4})"
    r"(?P=sep)(?P<c>\d{4})" + _EDGE_AFTER
)
# What a number is, when the text says so just before it: a version, a time, a size, a count.
_NOT_PERSONAL = re.compile(
    r"(?<![A-Za-z])(?:version|ver|v|build|rev|stamp|ts|timestamp|time|epoch|seq|pid|port|bytes|size|count|"
    r"offset|elapsed|latency|duration|ms|ns|us)[\"']?\s*[:=]?\s*[\"']?$", re.IGNORECASE)
_HEX_RUN = re.compile(r"[0-9A-Fa-f]+")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_HEX_ID_CHARS = 24  # request ids, token and content hashes: long runs of hex digits with letters in them
_STANDARD_ATTRS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message", "asctime", "taskName",
}
_NEST_LIMIT = 4


def mask_text(text: str) -> str:
    """Mask every 身份证- or mobile-shaped number inside free text (not versions, times or hex ids)."""
    text = _ID_SHAPE.sub(_mask_id_match, text)
    return _PHONE_SHAPE.sub(_mask_phone_match, text)


def _mask_id_match(match: re.Match[str]) -> str:
    return match.group() if _not_personal(match) else mask_id_number(match.group())


def _mask_phone_match(match: re.Match[str]) -> str:
    if _not_personal(match):
        return match.group()
    digits = match.group("a") + match.group("b") + match.group("c")
    return (match.group("prefix") or "") + mask_phone(digits)


def _not_personal(match: re.Match[str]) -> bool:
    """A digit run the context shows is no 身份证 or phone: labelled a version, time or size, or the
    middle of a long hex id (request ids, hashes)."""
    text, start, end = match.string, match.start(), match.end()
    if _NOT_PERSONAL.search(text, max(0, start - 16), start):
        return True
    left = start
    while left > 0 and text[left - 1] in _HEX_DIGITS:
        left -= 1
    right = end
    while right < len(text) and text[right] in _HEX_DIGITS:
        right += 1
    run = text[left:right]
    return right - left >= _HEX_ID_CHARS and not run.isdigit() and _HEX_RUN.fullmatch(run) is not None


def _mask_value(value: Any, depth: int = 0) -> Any:
    # New containers, never in-place edits: extras often are the caller's live objects.
    if isinstance(value, str):
        return mask_text(value)
    if depth >= _NEST_LIMIT:
        return value
    if type(value) is dict:
        return {k: _mask_value(v, depth + 1) for k, v in value.items()}
    if type(value) in (list, tuple):
        return type(value)(_mask_value(v, depth + 1) for v in value)
    return value


class PiiLogFilter(logging.Filter):
    """Masks 身份证 and mobile numbers in the message, extras and traceback of every record.

    Attach it to handlers: filters on a logger do not see records propagated from children.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):  # a broken format string: mask what there is
            message = str(record.msg)
        record.msg, record.args = mask_text(message), ()
        for name, value in list(record.__dict__.items()):
            if name not in _STANDARD_ATTRS:
                setattr(record, name, _mask_value(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True
