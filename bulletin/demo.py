"""Demo gazette for `bianmin seed-demo` (idempotent): three issues of a 罗湖区人民政府公报-style gazette.

About forty documents across agencies, document types and 五公开 categories, five policy
interpretations, feed tags (divisions, industries, sizes; 惠企政策 for enterprises) and links
to the appointments demo's service items when those exist. Every document says it is demo
data: 【演示数据】 opens its summary and closes its body.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bulletin import related, service_editing, service_import
from bulletin.model import DOC_TYPES
from bulletin.tables import Document

MARK = "【演示数据】"
DISTRICT = "440303"
ISSUES = (
    {"year": 2024, "number": 1, "total_number": 181, "title": "罗湖区人民政府公报 2024年第1期（演示）",
     "published_on": date(2024, 3, 15), "sections": ["区政府文件", "区政府办公室文件", "部门文件", "政策解读"]},
    {"year": 2024, "number": 2, "total_number": 182, "title": "罗湖区人民政府公报 2024年第2期（演示）",
     "published_on": date(2024, 6, 14), "sections": ["区政府文件", "区政府办公室文件", "部门文件", "政策解读"]},
    {"year": 2024, "number": 3, "total_number": 183, "title": "罗湖区人民政府公报 2024年第3期（演示）",
     "published_on": date(2024, 9, 13), "sections": ["区政府文件", "区政府办公室文件", "部门文件", "政策解读"]},
)
SECTION = {"lhqzf": "区政府文件", "lhqzfb": "区政府办公室文件"}
ABBREVIATION = {"lhqzf": "深罗府", "lhqzfb": "深罗府办", "lhfgj": "罗发改", "lhjyj": "罗教", "lhwjj": "罗卫健",
                "lhmzj": "罗民", "lhrlj": "罗人", "lhzjj": "罗建", "lhscjgj": "罗市监", "lhgxj": "罗工信",
                "lhylbzj": "罗医保", "lhczj": "罗财", "lhkjj": "罗科创", "lhyjglj": "罗应急"}
ENTERPRISE = {"industries": ["C", "F", "H", "I", "L", "M"], "sizes": ["medium", "small", "micro"]}
# 五公开 category by document type: plans and opinions decide, notices carry out, ...
DISCLOSURE = {"opinion": "decision", "plan": "decision", "notice": "execution", "measures": "management",
              "circular": "management", "announcement": "service", "decision": "result", "report": "result",
              "reply": "result"}
# issue, agency, doc_type, topic, subject (what the document is about), tags, service words
DOCUMENTS: tuple[tuple[int, str, str, str, str, dict[str, Any], tuple[str, ...]], ...] = (
    (1, "lhqzf", "notice", "economic_management", "罗湖区优化营商环境若干措施", ENTERPRISE, ("营业执照",)),
    (1, "lhqzf", "opinion", "urban_rural_environment", "推进城市更新和老旧小区改造", {}, ()),
    (1, "lhqzfb", "notice", "general_affairs", "2024年政务公开工作要点", {}, ()),
    (1, "lhqzfb", "plan", "civil_affairs_relief", "罗湖区养老服务体系建设三年行动方案", {}, ("老年人优待证",)),
    (1, "lhfgj", "announcement", "economic_management", "2024年区级重大项目计划", {}, ()),
    (1, "lhjyj", "notice", "education", "2024年义务教育阶段学校招生工作", {}, ()),
    (1, "lhwjj", "notice", "health_sports", "推进家庭医生签约服务", {}, ()),
    (1, "lhmzj", "measures", "civil_affairs_relief", "罗湖区长者饭堂运营补贴管理办法", {}, ("老年人优待证",)),
    (1, "lhrlj", "notice", "labour_personnel", "2024年稳岗补贴申领工作", ENTERPRISE, ("社保卡",)),
    (1, "lhzjj", "announcement", "urban_rural_environment", "2024年第一批公租房配租", {}, ("公租房",)),
    (1, "lhscjgj", "circular", "market_regulation_safety", "春季食品安全专项检查", {}, ()),
    (1, "lhylbzj", "notice", "health_sports", "2024年度城乡居民医保参保缴费", {}, ("医保",)),
    (2, "lhqzf", "decision", "economic_management", "表彰2023年度罗湖区纳税百强企业", {}, ()),
    (2, "lhqzf", "measures", "economic_management", "罗湖区支持专精特新中小企业发展若干措施", ENTERPRISE, ("营业执照",)),
    (2, "lhqzfb", "notice", "general_affairs", "推行政务服务一网通办和不见面审批", {}, ("居住证", "营业执照")),
    (2, "lhqzfb", "opinion", "urban_rural_environment", "全面推进生活垃圾分类工作", {}, ()),
    (2, "lhgxj", "notice", "industry_transport", "2024年工业企业技术改造扶持计划申报", ENTERPRISE, ()),
    (2, "lhjyj", "measures", "education", "罗湖区中小学课后服务管理办法", {}, ()),
    (2, "lhwjj", "plan", "health_sports", "罗湖区公共卫生应急能力提升方案", {}, ()),
    (2, "lhmzj", "notice", "civil_affairs_relief", "调整最低生活保障标准", {}, ()),
    (2, "lhrlj", "announcement", "labour_personnel", "2024年高校毕业生就业见习岗位征集", ENTERPRISE, ("社保卡",)),
    (2, "lhzjj", "notice", "urban_rural_environment", "加强住宅小区物业管理", {}, ()),
    (2, "lhyjglj", "circular", "market_regulation_safety", "汛期安全生产和防灾减灾工作", {}, ()),
    (2, "lhczj", "report", "finance_audit", "罗湖区2023年财政预算执行情况", {}, ()),
    (3, "lhqzf", "plan", "science_technology", "罗湖区数字政府建设规划", {}, ()),
    (3, "lhqzf", "measures", "commerce_customs_tourism", "罗湖区促进消费和商贸流通若干措施", ENTERPRISE, ()),
    (3, "lhqzfb", "notice", "general_affairs", "开展行政执法三项制度落实情况检查", {}, ()),
    (3, "lhqzfb", "reply", "urban_rural_environment", "同意东门街道城市更新单元计划", {"divisions": ["440303003"]}, ()),
    (3, "lhfgj", "opinion", "economic_management", "支持民营经济高质量发展", ENTERPRISE, ()),
    (3, "lhkjj", "notice", "science_technology", "2024年科技创新专项资金项目申报", ENTERPRISE, ()),
    (3, "lhjyj", "notice", "education", "2024年秋季学期学位申请", {}, ()),
    (3, "lhwjj", "announcement", "health_sports", "2024年秋冬季流感疫苗接种", {}, ()),
    (3, "lhmzj", "notice", "civil_affairs_relief", "发放2024年度高龄津贴", {}, ("老年人优待证",)),
    (3, "lhrlj", "measures", "labour_personnel", "罗湖区创业担保贷款贴息管理办法", ENTERPRISE, ("社保卡",)),
    (3, "lhzjj", "notice", "urban_rural_environment", "2024年保障性租赁住房申请", {}, ("公租房",)),
    (3, "lhscjgj", "announcement", "market_regulation_safety", "个体工商户年度报告公示", ENTERPRISE, ("营业执照",)),
)
# Interpretations: (index in DOCUMENTS of the documents covered, title)
INTERPRETATIONS = (
    ((0,), "一图读懂《罗湖区优化营商环境若干措施》"),
    ((3, 7), "罗湖区养老服务政策问答"),
    ((13, 28), "《支持专精特新中小企业发展若干措施》政策解读"),
    ((14,), "政务服务一网通办怎么办？"),
    ((33, 8), "稳岗补贴与创业担保贷款贴息政策解读"),
)


def _body(subject: str, doc_type: str) -> str:
    label = DOC_TYPES.label(doc_type)
    return (f"## 一、总体要求\n\n为做好{subject}相关工作，根据有关法律法规和上级部署，结合我区实际，制定本{label}。\n\n"
            f"## 二、主要内容\n\n1. 明确责任分工，区直各单位、各街道办事处按职责做好{subject}。\n"
            "2. 优化办事流程，能网上办理的事项全部实行一网通办，减少群众跑动次数。\n"
            "3. 加强资金保障和监督检查，确保各项措施落到实处。\n\n"
            f"## 三、工作要求\n\n各单位要高度重视，认真组织实施。本{label}自印发之日起施行。\n\n"
            f"{MARK}本文件为演示数据，内容虚构，不具有任何效力。")


def _title(subject: str, doc_type: str) -> str:
    if subject.endswith(("措施", "办法", "方案", "规划", "要点", "计划")):
        return f"关于印发《{subject}》的通知"
    return f"关于{subject}的{DOC_TYPES.label(doc_type)}"


async def _documents() -> list[int]:
    issues = await service_import.issue_ids()
    ids = []
    for n, (issue, agency, doc_type, topic, subject, tags, _services) in enumerate(DOCUMENTS, 1):
        published = ISSUES[issue - 1]["published_on"] - timedelta(days=20 - n % 10)
        title = _title(subject, doc_type)
        fields = {
            "kind": "document", "title": title, "index_number": f"DEMO-{agency}/2024-{n:05d}",
            "doc_number": f"{ABBREVIATION.get(agency, '罗')}〔2024〕{n}号", "agency": agency, "topic": topic,
            "doc_type": doc_type, "disclosure": DISCLOSURE[doc_type], "validity": "valid",
            "written_on": published - timedelta(days=5), "published_on": published,
            "summary": f"{MARK}{subject}。", "body": _body(subject, doc_type), "body_format": "markdown",
            "issue_id": issues[f"2024-{issue}"], "section": SECTION.get(agency, "部门文件"), "issue_order": n,
            "divisions": tags.get("divisions", [DISTRICT]), "industries": tags.get("industries", []),
            "sizes": tags.get("sizes", []),
        }
        await service_import.import_document(fields, publish=True, notify=False)
        ids.append((await Document.get(index_number=fields["index_number"])).id)
    return ids


async def _interpretations(document_ids: list[int]) -> None:
    issues = await service_import.issue_ids()
    for n, (covered, title) in enumerate(INTERPRETATIONS, 1):
        first = DOCUMENTS[covered[0]]
        fields = {
            "kind": "interpretation", "title": title, "index_number": f"DEMO-JD/2024-{n:05d}", "agency": first[1],
            "topic": first[3], "doc_type": None, "disclosure": "decision", "validity": "valid",
            "published_on": ISSUES[first[0] - 1]["published_on"], "summary": f"{MARK}{title}。",
            "body": f"## 政策要点\n\n{title}，帮助群众和企业读懂用好政策。\n\n{MARK}本解读为演示数据。",
            "body_format": "markdown", "issue_id": issues[f"2024-{first[0]}"], "section": "政策解读",
            "issue_order": 100 + n, "divisions": [DISTRICT],
        }
        await service_import.import_document(fields, publish=True, notify=False)
        interpretation = await Document.get(index_number=fields["index_number"])
        for index in covered:
            existing = [link["id"] for link in (await _links(document_ids[index]))]
            if interpretation.id not in existing:
                await service_editing.set_interpretations(document_ids[index], [*existing, interpretation.id])


async def _links(document_id: int) -> list[dict[str, Any]]:
    from bulletin.repository import interpretation_links

    interpretations, _ = await interpretation_links(document_id)
    return [{"id": d.id} for d in interpretations]


async def _services(document_ids: list[int]) -> int:
    items = await related.all_service_items()
    linked = 0
    for document_id, entry in zip(document_ids, DOCUMENTS):
        wanted = [i["id"] for i in items if any(word in i["name"] for word in entry[6])]
        if wanted:
            await service_editing.set_related(document_id, services=wanted)
            linked += 1
    return linked


async def seed() -> None:
    """Create (or bring up to date) the demo gazette."""
    for issue in ISSUES:
        await service_import.upsert_issue(issue)
    document_ids = await _documents()
    await _interpretations(document_ids)
    linked = await _services(document_ids)
    print(f"  {len(ISSUES)} gazette issues, {len(DOCUMENTS)} documents, {len(INTERPRETATIONS)} interpretations, "
          f"{linked} linked to service items  [demo data]")
