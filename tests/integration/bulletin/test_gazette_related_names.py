"""A document's linked service items show their current names, whichever process renamed them."""

from __future__ import annotations

from appointments import service_halls
from bulletin import related


async def test_a_renamed_service_item_is_shown_by_its_new_name_at_once(db):
    hall = await service_halls.create_hall({"name": "罗湖区行政服务大厅", "address": "深圳市罗湖区测试路1号",
                                            "windows": 4}, rules=None)
    item = await service_halls.add_service(hall["id"], {"name": "社保卡补办", "department": "区人力资源局"})
    assert [i["name"] for i in await related.service_items([item["id"]])] == ["社保卡补办"]
    await service_halls.update_service(item["id"], {"name": "社会保障卡补领"})
    assert [i["name"] for i in await related.service_items([item["id"]])] == ["社会保障卡补领"]
