"""Constants of the demo district (罗湖区, Shenzhen): outline, streets, communities, names, timetables.

Plausible rather than surveyed: the outline and street seeds follow the real district roughly, the
communities and POIs are generated from these lists. Everything seeded is labelled demo data.
"""

from __future__ import annotations

from typing import Any

DISTRICT = ("440303", "罗湖区")

# A rough outline of Luohu (lon, lat): Shenzhen River and the Hong Kong border in the south,
# Wutong Mountain in the east, Longgang in the north, Futian in the west.
OUTLINE = (
    (114.100, 22.536), (114.113, 22.530), (114.130, 22.532), (114.150, 22.540), (114.170, 22.548),
    (114.190, 22.553), (114.215, 22.560), (114.222, 22.585), (114.200, 22.600), (114.170, 22.610),
    (114.150, 22.625), (114.125, 22.632), (114.105, 22.625), (114.095, 22.600), (114.093, 22.575),
    (114.098, 22.555), (114.100, 22.536),
)

# Street (街道): name, a seed point near its real centre, its communities, its roads.
STREETS: tuple[tuple[str, tuple[float, float], tuple[str, ...], tuple[str, ...]], ...] = (
    ("桂园", (114.109, 22.546), ("老围", "松园", "红村", "鹿丹村"),
     ("宝安南路", "红岭中路", "人民桥路", "松园路", "解放路", "滨河路")),
    ("黄贝", (114.145, 22.551), ("新港", "文华", "怡景", "黄贝岭"),
     ("文锦中路", "凤凰路", "沿河南路", "黄贝路", "新秀路", "怡景路")),
    ("东门", (114.124, 22.553), ("湖贝", "城东", "立新", "花场"),
     ("东门中路", "新园路", "湖贝路", "深南东路", "乐园路", "立新路")),
    ("翠竹", (114.134, 22.566), ("翠竹", "水贝", "翠锦", "木头龙"),
     ("翠竹路", "田贝一路", "水贝二路", "贝丽南路", "太宁路", "木头龙路")),
    ("南湖", (114.119, 22.538), ("渔邨", "向西", "南湖", "新南"),
     ("人民南路", "建设路", "嘉宾路", "沿河北路", "和平路", "春风路")),
    ("笋岗", (114.106, 22.566), ("笋西", "田心", "湖景", "梅园"),
     ("笋岗路", "宝安北路", "梅园路", "洪湖二街", "田心路", "红岗路")),
    ("东湖", (114.160, 22.578), ("东湖", "大望", "梧桐山", "布心"),
     ("爱国路", "东湖路", "布心路", "大望路", "梧桐山路", "东乐路")),
    ("莲塘", (114.190, 22.568), ("莲塘", "仙湖", "鹏兴", "畔山"),
     ("罗沙路", "莲塘路", "国威路", "鹏兴路", "仙湖路", "畔山路")),
    ("东晓", (114.139, 22.592), ("东晓", "兰花", "太白", "绿景"),
     ("东晓路", "太白路", "布吉路", "兰花路", "草埔东路", "北斗路")),
    ("清水河", (114.113, 22.605), ("清水河", "草埔西", "玉龙", "坭岗"),
     ("清水河一路", "泥岗西路", "玉龙路", "草埔路", "坭岗路", "清水河三路")),
)

DISTRICT_HALL = ("罗湖区行政服务大厅", "深圳市罗湖区文锦中路1008号", (114.1313, 22.5486))

HOSPITALS = ("深圳市人民医院", "罗湖区人民医院", "罗湖区中医院", "罗湖区妇幼保健院", "罗湖区第二人民医院",
             "深圳市眼科医院", "罗湖区康复医院", "罗湖区口腔医院")
PHARMACY_BRANDS = ("大参林", "海王星辰", "一心堂", "老百姓大药房", "国大药房", "中联大药房")
CLINIC_KINDS = ("中医诊所", "口腔门诊部", "综合门诊部", "儿科诊所", "社区门诊部")
SURNAMES = ("陈", "李", "黄", "张", "林", "王", "刘", "吴", "郑", "何", "罗", "梁")
GOOD_WORDS = ("阳光", "童乐", "金色年华", "小太阳", "博苑", "智慧树", "百花", "春蕾", "彩虹", "启蒙", "翠苑", "星河")
SCHOOL_WORDS = ("螺岭", "北斗", "红岭", "洪湖", "滨河", "东昌", "凤光", "水库", "翠北", "锦田", "仙桐", "淘金山",
                "莲南", "布心", "向西")
SECONDARY = ("深圳中学", "翠园中学", "罗湖外语学校", "桂园中学", "文锦中学", "东湖中学", "布心中学", "罗湖中学",
             "笋岗中学", "滨河中学", "罗湖高级中学", "大望学校", "莲南中学", "清水河中学", "东晓中学")
OTHER_EDUCATION = ("罗湖区青少年宫", "罗湖区图书馆少儿分馆", "罗湖区社区学院", "罗湖区特殊教育学校",
                   "罗湖区科技馆", "罗湖区体育馆青少年训练中心", "罗湖区职业技能培训中心", "罗湖区文化馆少儿部",
                   "东门书城少儿阅读中心", "罗湖区家长学校", "罗湖区心理健康教育中心", "罗湖区劳动教育基地",
                   "罗湖区美术馆青少年工作坊", "罗湖区音乐培训中心", "罗湖区成人教育中心")
NURSING_HOMES = ("罗湖区社会福利中心", "东湖颐养院", "莲塘长者之家", "清水河护养院", "翠竹康乐颐养院",
                 "罗湖区老年公寓", "东晓颐康之家", "笋岗长者护理院", "黄贝颐年院", "桂园康养中心")

_WORKDAYS = ("mon", "tue", "wed", "thu", "fri")
_ALL_DAYS = (*_WORKDAYS, "sat", "sun")
HOLIDAYS_2026 = ("2026-01-01", "2026-05-01", "2026-05-04", "2026-05-05", "2026-10-01", "2026-10-02", "2026-10-05",
                 "2026-10-06", "2026-10-07")


def weekly(days: tuple[str, ...], *periods: tuple[str, str]) -> dict[str, Any]:
    """Opening hours with the same periods on each of ``days``."""
    return {"weekly": {day: [list(p) for p in periods] for day in days}, "exceptions": []}


def with_holidays(hours: dict[str, Any]) -> dict[str, Any]:
    """The same hours, closed on the 2026 public holidays that fall on working days."""
    return {**hours, "exceptions": [{"date": day, "periods": []} for day in HOLIDAYS_2026]}


_LUNCH = (("09:00", "12:00"), ("14:00", "18:00"))
HOURS: dict[str, dict[str, Any]] = {
    "hall.district": with_holidays({"weekly": {**weekly(_WORKDAYS, *_LUNCH)["weekly"],
                                               "sat": [["09:00", "12:00"]]}, "exceptions": []}),
    "hall.street": with_holidays(weekly(_WORKDAYS, ("09:00", "12:00"), ("14:00", "17:30"))),
    "hall.community": with_holidays(weekly(_WORKDAYS, *_LUNCH)),
    "health.hospital": weekly(_ALL_DAYS, ("00:00", "24:00")),
    "health.community": {"weekly": {**weekly(_WORKDAYS, ("08:00", "12:00"), ("14:00", "17:30"))["weekly"],
                                    **weekly(("sat", "sun"), ("08:00", "12:00"))["weekly"]}, "exceptions": []},
    "health.clinic": weekly(_ALL_DAYS, ("08:30", "12:00"), ("14:00", "21:00")),
    "health.pharmacy": weekly(_ALL_DAYS, ("08:00", "22:00")),
    "education.kindergarten": with_holidays(weekly(_WORKDAYS, ("07:30", "17:30"))),
    "education.primary": with_holidays(weekly(_WORKDAYS, ("07:30", "17:00"))),
    "education.secondary": with_holidays(weekly(_WORKDAYS, ("07:00", "17:30"))),
    "education.other": weekly(("tue", "wed", "thu", "fri", "sat", "sun"), ("09:00", "17:00")),
    "elderly.nursing_home": weekly(_ALL_DAYS, ("00:00", "24:00")),
    "elderly.day_care": weekly((*_WORKDAYS, "sat"), ("08:30", "17:30")),
    "elderly.canteen": weekly(_ALL_DAYS, ("11:00", "13:00"), ("17:00", "18:30")),
    "elderly.activity": weekly(("tue", "wed", "thu", "fri", "sat", "sun"), ("08:30", "11:30"), ("14:30", "17:30")),
}
