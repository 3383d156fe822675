"""WeChat's content security check of what residents write: pass, risky, or held when WeChat cannot say."""

from __future__ import annotations

import logging
from typing import Literal

from server import wechat

log = logging.getLogger("bianmin.questions.content")
Verdict = Literal["pass", "risky", "held"]
TEXT_SCENE = 2  # 评论 (a resident's public-facing words)


async def check_text(*, openid: str, text: str) -> Verdict:
    """msg_sec_check of ``text``; "held" when WeChat is unreachable or refuses to answer now."""
    try:
        return "pass" if await wechat.client().msg_sec_check(openid=openid, content=text, scene=TEXT_SCENE) else "risky"
    except (wechat.WeChatUnavailable, wechat.WeChatError) as exc:
        log.warning("content check unavailable, letter held: %s", type(exc).__name__)
        return "held"


async def check_image(data: bytes, *, content_type: str) -> Verdict:
    """img_sec_check of an image; "held" when WeChat is unreachable or refuses to answer now."""
    try:
        return "pass" if await wechat.client().img_sec_check(data=data, content_type=content_type) else "risky"
    except (wechat.WeChatUnavailable, wechat.WeChatError) as exc:
        log.warning("image check unavailable, photo held: %s", type(exc).__name__)
        return "held"


def combine(verdicts: list[Verdict]) -> Verdict:
    """Risky if anything is risky, else held if anything is held, else pass."""
    return "risky" if "risky" in verdicts else ("held" if "held" in verdicts else "pass")
