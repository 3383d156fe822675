"""The console's menu by role (若依-style): each page module adds its entries here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.sessions import Console


@dataclass(frozen=True)
class Entry:
    label: str
    href: str
    roles: tuple[str, ...]  # who sees it (admins see everything)


MENU: tuple[Entry, ...] = (
    Entry("首页", "/console/", ()),
    Entry("服务大厅", "/console/halls", ("staff",)),
    Entry("政府公报", "/console/editor/documents", ("editor",)),
    Entry("通知公告", "/console/notices/", ("staff", "editor")),
    Entry("群众来信", "/console/questions/", ("editor", "answerer")),  # 来信分办 or 部门待办, then its tabs
    Entry("一号答", "/console/questions/entries", ("editor", "answerer")),
    Entry("操作日志", "/console/admin/audit", ("admin",)),
    Entry("企业认证", "/console/admin/enterprises", ("admin",)),
    Entry("地图与网点", "/console/admin/map/", ("admin",)),
    Entry("账号与角色", "/console/admin/accounts", ("admin",)),
    Entry("大厅与事项", "/console/admin/halls", ("admin",)),
    Entry("工作日历", "/console/admin/calendar", ("admin",)),
    Entry("修改密码", "/console/password", ()),
    Entry("两步验证", "/console/otp", ()),
)


def menu_for(console: Console) -> list[Entry]:
    return [entry for entry in MENU if console.user.has_role(*entry.roles)]
