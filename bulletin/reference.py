"""Reference data of the gazette: the district's issuing agencies (发布机构)."""

from __future__ import annotations

from bulletin.tables import Agency
from server import clock

# (code, name) in the order the district lists its agencies; editors may add more.
AGENCIES: tuple[tuple[str, str], ...] = (
    ("lhqzf", "罗湖区人民政府"),
    ("lhqzfb", "罗湖区人民政府办公室"),
    ("lhfgj", "罗湖区发展和改革局"),
    ("lhjyj", "罗湖区教育局"),
    ("lhkjj", "罗湖区科技创新局"),
    ("lhgxj", "罗湖区工业和信息化局"),
    ("lhmzj", "罗湖区民政局"),
    ("lhsfj", "罗湖区司法局"),
    ("lhczj", "罗湖区财政局"),
    ("lhrlj", "罗湖区人力资源局"),
    ("lhzjj", "罗湖区住房和建设局"),
    ("lhwjj", "罗湖区卫生健康局"),
    ("lhylbzj", "罗湖区医疗保障局"),
    ("lhyjglj", "罗湖区应急管理局"),
    ("lhscjgj", "罗湖区市场监督管理局"),
    ("lhwtlyj", "罗湖区文化广电旅游体育局"),
)


async def load() -> None:
    """Create the district's agencies that are missing (idempotent; names are not overwritten)."""
    existing = set(await Agency.all().values_list("code", flat=True))
    missing = [
        Agency(code=code, name=name, sort_order=index, created_at=clock.now())
        for index, (code, name) in enumerate(AGENCIES)
        if code not in existing
    ]
    if missing:
        await Agency.bulk_create(missing, ignore_conflicts=True)
