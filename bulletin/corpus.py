"""Generated gazette documents from a government vocabulary (benchmarks and paging tests).

Deterministic for a seed. Each document has a main topic whose words fill most of its
sentences, plus the boilerplate every notice carries and now and then a word from another
field, so subject words (养老, 医保) occur in one document in ten or so, while the
generic words of officialese (工作, 推进) occur in nearly all of them, as in a real gazette. Nothing here is real: it is labelled demo data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from bulletin.model import DISCLOSURES, DOC_TYPES

# topic code -> (two-character words, four-character terms) of that field.
THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "civil_affairs_relief": (("养老", "救助", "低保", "殡葬", "慈善", "婚姻"),
                             ("养老服务", "长者饭堂", "居家养老", "社会救助", "最低生活")),
    "health_sports": (("医保", "医疗", "疫苗", "卫生", "健身", "药品"),
                      ("公共卫生", "家庭医生", "城乡医保", "异地就医", "全民健身")),
    "education": (("教育", "学校", "学位", "教师", "课后", "招生"),
                  ("义务教育", "学前教育", "课后服务", "校园安全", "教师队伍")),
    "economic_management": (("营商", "企业", "投资", "产业", "招商", "融资"),
                            ("营商环境", "惠企政策", "专精特新", "市场主体", "产业升级")),
    "labour_personnel": (("就业", "社保", "工资", "培训", "人才", "创业"),
                         ("稳岗补贴", "就业创业", "技能培训", "人才引进", "劳动关系")),
    "urban_rural_environment": (("住房", "物业", "垃圾", "绿化", "供水", "排水"),
                                ("城市更新", "垃圾分类", "老旧小区", "保障住房", "生态环境")),
    "market_regulation_safety": (("食品", "安全", "消防", "价格", "质量", "检查"),
                                 ("食品安全", "安全生产", "消防安全", "质量监管", "特种设备")),
    "finance_audit": (("财政", "预算", "审计", "税收", "资金", "债务"),
                      ("预算管理", "财政资金", "政府采购", "审计监督", "绩效评价")),
    "science_technology": (("科技", "创新", "专利", "研发", "数字", "智慧"),
                           ("科技创新", "数字政府", "智慧城市", "知识产权", "研发投入")),
    "public_security_justice": (("法治", "调解", "治安", "普法", "信访", "执法"),
                                ("法治政府", "矛盾纠纷", "行政执法", "公共法律", "社会治理")),
    "general_affairs": (("政务", "公开", "审批", "会议", "考核", "督查"),
                        ("政务公开", "一网通办", "行政审批", "政务服务", "放管服改")),
}
GENERIC = ("工作", "推进", "加强", "落实", "完善", "建立", "健全", "机制", "服务", "管理", "部门",
           "街道", "社区", "实施", "方案", "要求", "单位", "组织", "保障", "责任", "制度", "措施")
VERBS = ("进一步加强", "全面推进", "切实做好", "深入开展", "加快推进", "规范", "优化", "持续深化")
NOUNS = ("工作", "管理", "建设", "改革", "服务", "体系建设", "专项行动", "试点工作")
ABBREVIATIONS = ("深罗府", "深罗府办", "罗发改", "罗教", "罗科创", "罗工信", "罗民", "罗司",
                 "罗财", "罗人", "罗建", "罗卫健", "罗医保", "罗应急", "罗市监", "罗文旅")
SENTENCES = (
    "各{g1}要把{w1}{g2}摆在突出位置，{v}{t}{n}，确保{w2}各项{g3}落到实处",
    "为{v}{t}，结合本区{w1}实际，制定本{g1}",
    "区{g1}负责统筹协调{w1}和{w2}相关{g2}，{g3}{t}",
    "{v}{w1}{g1}，{g2}{t}长效{g3}，提升{w2}水平",
    "对{w1}{g1}中发现的问题，相关{g2}应当及时{g3}并报告",
    "本{g1}自印发之日起施行，有效期五年，涉及{w1}和{t}的按有关规定执行",
)

BOILERPLATE = (
    "各{g1}要高度重视，加强组织领导，{v}各项{g2}",
    "请各{g1}结合实际认真贯彻执行，执行中遇到的问题及时向区{g2}反映",
    "{v}{g1}{g2}，确保按时保质完成",
)


@dataclass(frozen=True, slots=True)
class GeneratedDocument:
    """One generated document's fields."""

    index_number: str
    title: str
    doc_number: str
    agency_index: int
    topic: str
    doc_type: str
    disclosure: str
    validity: str
    published_on: date
    summary: str
    body_text: str


class Corpus:
    """A reproducible stream of generated documents."""

    def __init__(self, seed: int = 20260929, *, body_chars: int = 1500) -> None:
        self.random = random.Random(seed)
        self.body_chars = body_chars
        self.serials: dict[tuple[int, int], int] = {}

    def _sentence(self, topic: str) -> str:
        r = self.random
        kind = r.random()
        if kind < 0.2:  # boilerplate every notice carries, no subject words
            return r.choice(BOILERPLATE).format(g1=r.choice(GENERIC), g2=r.choice(GENERIC), v=r.choice(VERBS))
        # Mostly its own subject; now and then a word from another field.
        words, terms = THEMES[topic] if kind < 0.95 else THEMES[r.choice(list(THEMES))]
        return r.choice(SENTENCES).format(
            w1=r.choice(words), w2=r.choice(words), t=r.choice(terms), v=r.choice(VERBS),
            n=r.choice(NOUNS), g1=r.choice(GENERIC), g2=r.choice(GENERIC), g3=r.choice(GENERIC))

    def document(self, number: int) -> GeneratedDocument:
        """The number-th document (call in order for reproducible output)."""
        r = self.random
        topic = r.choice(list(THEMES))
        agency = r.randrange(len(ABBREVIATIONS))
        published = date(2015, 1, 1) + timedelta(days=r.randrange(11 * 365))
        serial = self.serials[(agency, published.year)] = self.serials.get((agency, published.year), 0) + 1
        doc_type = r.choice(("notice", "notice", "opinion", "measures", "announcement", "plan", "reply"))
        title = f"关于{r.choice(VERBS)}{r.choice(THEMES[topic][1])}{r.choice(NOUNS)}的{DOC_TYPES.label(doc_type)}"
        paragraphs, length = [], 0
        while length < self.body_chars:
            paragraph = "。".join(self._sentence(topic) for _ in range(r.randint(2, 5))) + "。"
            paragraphs.append(paragraph)
            length += len(paragraph)
        return GeneratedDocument(
            index_number=f"GEN-{number:07d}", title=title,
            doc_number=f"{ABBREVIATIONS[agency]}〔{published.year}〕{serial}号", agency_index=agency,
            topic=topic, doc_type=doc_type, disclosure=r.choice(DISCLOSURES.codes),
            validity="valid" if r.random() < 0.85 else r.choice(("expired", "repealed")),
            published_on=published, summary=f"【演示数据】{self._sentence(topic)}。",
            body_text="\n".join(paragraphs))


def subject_words() -> list[str]:
    """The two-character subject words (养老, 医保, ...): what residents search for."""
    return sorted({w for words, _ in THEMES.values() for w in words})


def two_character_words() -> list[str]:
    """Every two-character word the generator uses: subject words and officialese (工作, 推进)."""
    return sorted(set(subject_words()) | set(GENERIC))


def four_character_terms() -> list[str]:
    """Every four-character term the generator uses."""
    return sorted({t for _, terms in THEMES.values() for t in terms})
