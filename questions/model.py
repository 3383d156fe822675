"""Pure rules of asking the district: vocabularies, the life of a letter, the statistics' arithmetic.

No I/O here: the service modules load rows and call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

# The 22 categories of a 12345 一号答 guide (连云港's "100 questions"); seeded, editable by admins.
SEED_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("employment", "就业社保"), ("school_health", "就学就医"), ("housing", "住房保障"),
    ("environment", "生态环境"), ("food_safety", "食品安全"), ("transport", "交通出行"),
    ("household", "户籍证照"), ("family", "婚育收养"), ("elderly", "养老服务"),
    ("assistance", "社会救助"), ("market", "市场监管"), ("business", "企业开办"),
    ("tax", "税费缴纳"), ("safety", "公共安全"), ("city", "城市管理"), ("utilities", "水电燃气"),
    ("property", "物业管理"), ("culture", "文化体育"), ("civil", "民政殡葬"), ("veterans", "退役军人"),
    ("disability", "残疾人服务"), ("legal", "法律服务"),
)
# The letter columns residents write to; seeded, configurable by admins.
SEED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("secretary", "书记信箱", "letter"), ("mayor", "区长信箱", "letter"), ("consult", "网上咨询", "letter"),
    ("complaint", "投诉建议", "letter"), ("proposal", "人民建议", "proposal"),
)

EntryStatus = Literal["draft", "published", "retired"]
LetterStatus = Literal["held", "rejected", "received", "assigned", "replied", "closed"]
Rating = Literal["satisfied", "basically_satisfied", "unsatisfied"]
RATING_LABELS: dict[str, str] = {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}
STATUS_LABELS: dict[str, str] = {"held": "待审核", "rejected": "未通过审核", "received": "已受理", "assigned": "办理中",
                                 "replied": "已答复", "closed": "已办结"}
DEFAULT_REPLY_DAYS = 5
AUTO_CLOSE_AFTER = timedelta(days=7)
MAX_REOPENS = 1


class TransitionRefused(Exception):
    """The letter is not in a status that allows this step."""

    def __init__(self, status: str, action: str) -> None:
        self.status, self.action = status, action
        super().__init__(f"cannot {action} a letter that is {status}")


# Which statuses each step may start from.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "check": ("held",),
    "assign": ("received", "assigned"),
    "transfer": ("assigned",),
    "return": ("assigned",),
    "reply": ("assigned",),
    "rate": ("replied",),
    "auto_close": ("replied",),
    "adopt": ("received", "assigned", "replied", "closed"),
    "publish": ("replied", "closed"),
}


def check_step(status: str, action: str) -> None:
    """Raise TransitionRefused when ``action`` cannot start from ``status``."""
    if status not in ALLOWED_FROM[action]:
        raise TransitionRefused(status, action)


@dataclass(frozen=True)
class RatingOutcome:
    """What a resident's rating does: close the letter, or reopen it once for a second reply."""

    status: LetterStatus
    reopens: int


def rate(rating: str, *, reopens: int) -> RatingOutcome:
    """不满意 reopens a letter once; every other rating (and a second 不满意) closes it."""
    if rating == "unsatisfied" and reopens < MAX_REOPENS:
        return RatingOutcome("assigned", reopens + 1)
    return RatingOutcome("closed", reopens)


def auto_close_due(replied_at: datetime, now: datetime) -> bool:
    """A reply nobody rated closes the letter after seven days."""
    return now - replied_at >= AUTO_CLOSE_AFTER


def is_overdue(due_on: date | None, today: date) -> bool:
    """Overdue once the reply deadline (a date, in the district's zone) has passed."""
    return due_on is not None and today > due_on


def month_key(moment: datetime, tz) -> str:  # type: ignore[no-untyped-def]
    """"2026-12": the month of ``moment`` as people in the district see it."""
    return moment.astimezone(tz).strftime("%Y-%m")


def ratio(part: int, whole: int) -> float | None:
    """part / whole rounded to four places; None when nothing was counted."""
    return round(part / whole, 4) if whole else None


def suggest_department(*, category: str | None, divisions: list[str],
                       departments: list[tuple[int, list[str], list[str]]]) -> int | None:
    """The department a dispatcher is offered: one covering both the category and a division
    of the place, else one covering the category, else None.

    ``departments`` holds (id, category codes, division codes) in the order to prefer.
    """
    by_category = [d for d in departments if category and category in d[1]]
    for dept_id, _categories, places in by_category:
        if places and set(places) & set(divisions):
            return dept_id
    general = [d for d in by_category if not d[2]]
    return (general or by_category or [(None, [], [])])[0][0]
