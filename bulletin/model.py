"""Gazette vocabularies (stable English codes with Chinese labels) and the search cursor codec.

Codes are what the API, the database and subscription criteria store; labels are what a
reader sees. Codes never change once published: a label may be reworded, a code may not.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Choice:
    """One vocabulary entry: a stable code and its Chinese label."""

    code: str
    label: str


class Vocabulary:
    """An ordered, closed set of choices looked up by code or by Chinese label."""

    def __init__(self, name: str, pairs: Sequence[tuple[str, str]]) -> None:
        self.name = name
        self._choices = tuple(Choice(code, label) for code, label in pairs)
        self._by_code = {c.code: c for c in self._choices}
        self._by_label = {c.label: c for c in self._choices}
        if len(self._by_code) != len(pairs) or len(self._by_label) != len(pairs):
            raise ValueError(f"{name}: duplicate code or label")

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def __iter__(self) -> Iterator[Choice]:
        return iter(self._choices)

    def __len__(self) -> int:
        return len(self._choices)

    @property
    def codes(self) -> tuple[str, ...]:
        """All codes in display order."""
        return tuple(c.code for c in self._choices)

    def label(self, code: str) -> str:
        """The Chinese label of a code (KeyError for an unknown code)."""
        return self._by_code[code].label

    def code_for(self, value: str) -> str | None:
        """The code for a code or a Chinese label, None when it is neither."""
        choice = self._by_code.get(value) or self._by_label.get(value)
        return choice.code if choice else None

    def options(self) -> list[dict[str, str]]:
        """[{"value", "label"}] in display order, as the options endpoints return them."""
        return [{"value": c.code, "label": c.label} for c in self._choices]


DOC_TYPES = Vocabulary("doc_type", [
    ("notice", "通知"), ("decision", "决定"), ("opinion", "意见"), ("measures", "办法"),
    ("announcement", "公告"), ("circular", "通告"), ("plan", "规划"), ("report", "报告"),
    ("reply", "批复"), ("letter", "函"), ("regulation", "规定"), ("order", "命令"),
])

# 五公开: 决策、执行、管理、服务、结果公开 (国办发〔2016〕80号).
DISCLOSURES = Vocabulary("disclosure", [
    ("decision", "决策"), ("execution", "执行"), ("management", "管理"),
    ("service", "服务"), ("result", "结果"),
])

VALIDITIES = Vocabulary("validity", [
    ("valid", "有效"), ("expired", "失效"), ("repealed", "废止"),
])

# 主题分类, after the State Council's subject classification used on 政府信息公开 pages.
TOPICS = Vocabulary("topic", [
    ("general_affairs", "综合政务"),
    ("economic_management", "国民经济管理"),
    ("finance_audit", "财政金融审计"),
    ("land_resources_energy", "国土资源能源"),
    ("agriculture_forestry_water", "农业林业水利"),
    ("industry_transport", "工业交通"),
    ("commerce_customs_tourism", "商贸海关旅游"),
    ("market_regulation_safety", "市场监管安全生产"),
    ("urban_rural_environment", "城乡建设环境保护"),
    ("science_technology", "科技"),
    ("education", "教育"),
    ("culture_media", "文化广电"),
    ("health_sports", "卫生体育"),
    ("population_family", "人口与计划生育妇女儿童"),
    ("labour_personnel", "劳动人事监察"),
    ("public_security_justice", "公安安全司法"),
    ("civil_affairs_relief", "民政扶贫救灾"),
    ("ethnic_religious", "民族宗教"),
    ("foreign_affairs", "对外事务"),
    ("hk_macao_taiwan", "港澳台侨工作"),
    ("other", "其他"),
])

# GB/T 4754-2017 《国民经济行业分类》 sections (门类); the letter is the code.
INDUSTRIES = Vocabulary("industry", [
    ("A", "农、林、牧、渔业"),
    ("B", "采矿业"),
    ("C", "制造业"),
    ("D", "电力、热力、燃气及水生产和供应业"),
    ("E", "建筑业"),
    ("F", "批发和零售业"),
    ("G", "交通运输、仓储和邮政业"),
    ("H", "住宿和餐饮业"),
    ("I", "信息传输、软件和信息技术服务业"),
    ("J", "金融业"),
    ("K", "房地产业"),
    ("L", "租赁和商务服务业"),
    ("M", "科学研究和技术服务业"),
    ("N", "水利、环境和公共设施管理业"),
    ("O", "居民服务、修理和其他服务业"),
    ("P", "教育"),
    ("Q", "卫生和社会工作"),
    ("R", "文化、体育和娱乐业"),
    ("S", "公共管理、社会保障和社会组织"),
    ("T", "国际组织"),
])

# 大中小微企业划型 (统计上大中小微型企业划分办法).
SIZES = Vocabulary("size", [
    ("large", "大型"), ("medium", "中型"), ("small", "小型"), ("micro", "微型"),
])

DOCUMENT_STATUSES = Vocabulary("status", [
    ("draft", "草稿"), ("published", "已发布"), ("withdrawn", "已撤回"),
])

# What an import file may ask for: a withdrawn document is never imported.
IMPORT_STATUSES = ("draft", "published")

BODY_FORMATS = Vocabulary("body_format", [("markdown", "Markdown"), ("html", "HTML")])

SORTS = Vocabulary("sort", [("relevance", "相关度"), ("newest", "最新"), ("oldest", "最早")])
