"""Demo data of asking the district for ``bianmin seed-demo`` (idempotent, labelled 【演示数据】):
answering departments with their categories and deadlines, a demo answerer heading one of them,
about a hundred published 一号答 entries across the 22 categories, and a few letters in each state
from a demo resident (the five columns themselves are reference data)."""

from __future__ import annotations

from questions import repository, service_publication
from questions.demo_data import ENTRIES
from questions.present_letters import PHONE_CONTEXT
from questions.tables import Column, Department, DepartmentMember, Entry, Letter, LetterStep
from server import clock, config, pii_vault
from server.tables import User

MARK = "【演示数据】"
DEPARTMENTS = (  # code, name, reply working days, categories
    ("rlj", "罗湖区人力资源局", 5, ["employment", "veterans"]),
    ("jyj", "罗湖区教育局", 5, ["school_health"]),
    ("wjj", "罗湖区卫生健康局", 5, ["school_health"]),
    ("zjj", "罗湖区住房和建设局", 5, ["housing", "property", "utilities"]),
    ("sthjj", "深圳市生态环境局罗湖管理局", 5, ["environment"]),
    ("scjgj", "深圳市市场监管局罗湖监管局", 5, ["food_safety", "market", "business"]),
    ("jtj", "罗湖区交通运输局", 5, ["transport"]),
    ("gaj", "深圳市公安局罗湖分局", 5, ["household", "safety"]),
    ("mzj", "罗湖区民政局", 5, ["family", "elderly", "assistance", "civil", "disability"]),
    ("swj", "国家税务总局深圳市罗湖区税务局", 5, ["tax"]),
    ("cgj", "罗湖区城市管理和综合执法局", 3, ["city"]),
    ("whj", "罗湖区文化广电旅游体育局", 5, ["culture"]),
    ("sfj", "罗湖区司法局", 5, ["legal"]),
)
ANSWERER = "demo-answerer"


async def seed() -> None:
    """Departments, the demo answerer (head of the city-management bureau) and the published entries."""
    for code, name, days, categories in DEPARTMENTS:
        await Department.update_or_create(code=code, defaults={"name": name, "reply_days": days,
                                                               "categories": categories})
    await _answerer()
    await _entries()
    await _letters()


async def _answerer() -> None:
    from server import accounts
    from server.demo import demo_password

    user = await accounts.create_user(username=ANSWERER, password=demo_password(ANSWERER), role="answerer")
    city = await Department.get(code="cgj")
    await DepartmentMember.get_or_create(department_id=city.id, user_id=user.id, defaults={"is_head": True})
    if config.current().env != "production":
        print(f"  demo account {ANSWERER:12} role answerer password {demo_password(ANSWERER)}  [demo data]")


async def _entries() -> None:
    from bulletin import service as gazette

    existing = set(await Entry.all().values_list("question", flat=True))
    departments = {code: dept_id for dept_id, code in await Department.all().values_list("id", "code")}
    by_category = {c: code for code, _n, _d, categories in DEPARTMENTS for c in categories}
    now = clock.now()
    for category, question, answer in ENTRIES:
        if question in existing:
            continue
        body = f"{answer}\n\n{MARK}本答复为演示数据，内容虚构。"
        html = gazette.markdown_to_html(body)
        entry = await Entry.create(question=question, answer=body, answer_html=html, answer_text=gazette.plain_text(html),
                                   category=category, department_id=departments.get(by_category.get(category, "")),
                                   status="published", created_at=now, updated_at=now, published_at=now)
        await repository.index_entry(entry.id, question=entry.question, answer_text=entry.answer_text)





RESIDENT = ("dev-demo-letters", "演示居民")
# column, department code, category, title, status, rating, publish consent
LETTERS = (
    ("consult", None, "housing", "公租房轮候进度怎么查？", "received", None, True),
    ("mayor", "cgj", "city", "东门步行街北口路灯不亮", "assigned", None, True),
    ("complaint", "sthjj", "environment", "小区旁工地夜间施工噪音扰民", "assigned", None, False),
    ("secretary", "jtj", "transport", "建议在翠竹路口增设行人过街信号灯", "replied", None, True),
    ("consult", "rlj", "employment", "灵活就业社保断缴后如何补缴", "closed", "satisfied", True),
    ("complaint", "scjgj", "food_safety", "楼下餐馆油烟直排", "closed", "basically_satisfied", False),
    ("mayor", "zjj", "property", "物业擅自上调物业费", "closed", "unsatisfied", True),
)


async def _letters() -> None:
    user, _ = await User.get_or_create(openid=RESIDENT[0], defaults={
        "role": "resident", "nickname": RESIDENT[1], "created_at": clock.now(), "updated_at": clock.now()})
    if await Letter.exists(user_id=user.id):
        return
    columns = dict(await Column.all().values_list("code", "id"))
    departments = dict(await Department.all().values_list("code", "id"))
    phone = "13800138000"
    for column, dept, category, title, status, rating, consent in LETTERS:
        now = clock.now()
        replied = status in ("replied", "closed")
        letter = await Letter.create(
            column_id=columns[column], user_id=user.id, title=title, body=f"{title}。{MARK}本留言为演示数据。",
            category=category, publish_consent=consent, status=status,
            phone_enc=pii_vault.vault().encrypt(phone, context=PHONE_CONTEXT),
            phone_hash=pii_vault.vault().lookup_hash(phone, kind="phone"),
            department_id=departments.get(dept or ""), due_on=clock.today() if dept else None,
            reply=f"您好，已收到并处理。{MARK}" if replied else None, replied_at=now if replied else None,
            rating=rating, closed_at=now if status == "closed" else None,
            published_at=now if status == "closed" and consent else None,
            public_title=title if status == "closed" and consent else None,
            public_body=f"{title}。{MARK}本留言为演示数据。" if status == "closed" and consent else None,
            created_at=now, updated_at=now)
        if letter.published_at is not None:
            await service_publication.index_published(letter)
        for kind in ("received", "assigned", "replied", "rated", "closed")[:_steps(status)]:
            await LetterStep.create(letter_id=letter.id, kind=kind, created_at=now,
                                    department_id=letter.department_id if kind != "received" else None)


def _steps(status: str) -> int:
    return {"received": 1, "assigned": 2, "replied": 3, "closed": 5}[status]
