"""The q filter: Chinese substrings of name or address, pinyin initials of the name."""

import numpy as np
import pytest

from geo.textmatch import SearchKeys, key_matches, name_initials, search_key


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("社区健康服务中心", "sqjkfwzx"),
        ("长者饭堂", "zzft"),  # 长 read zhǎng in 长者
        ("区行政服务大厅", "qxzfwdt"),
        ("第3幼儿园", "d3yey"),
        ("福田ABC诊所", "ftabczs"),
    ],
)
def test_name_initials(name, initials):
    assert name_initials(name) == initials


NAME, ADDRESS = "莲花街道社区健康服务中心", "深圳市福田区莲花路2008号"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("社区健康", True),  # substring of the name
        ("莲花路", True),  # substring of the address
        ("sqjk", True),  # pinyin initials, in the middle of the name
        ("SQJK", True),
        ("ｓｑｊｋ", True),  # full-width letters from a Chinese keyboard
        (" 社区 健康 ", True),  # stray spaces
        ("lhjdsq", True),
        ("中心深圳", False),  # would only match across the name/address boundary
        ("健康社区", False),
        ("xyz", False),
        ("", True),
    ],
)
def test_key_matches(query, expected):
    assert key_matches(search_key(NAME, ADDRESS), query) is expected


def test_search_keys_mask_agrees_with_one_by_one_matching():
    rng = np.random.default_rng(11)
    names = ["社区健康服务中心", "长者饭堂", "幼儿园", "街道便民服务中心", "药店", "小学"]
    places = ["福田区", "南山区", "罗湖区", "莲花路", "深南大道"]
    pois = [
        (f"{rng.choice(places)}{rng.choice(names)}", f"深圳市{rng.choice(places)}{i}号")
        for i in range(2000)
    ]
    keys = [search_key(n, a) for n, a in pois]
    index = SearchKeys(keys)
    # Rare and very common queries go through different paths inside; both must agree.
    for query in ["长者饭堂", "zzft", "区", "深圳", "罗湖区幼儿园", "1999号", "sqjk", "无此"]:
        want = [key_matches(k, query) for k in keys]
        assert index.mask(query).tolist() == want, query
    assert index.mask("罗湖区幼儿园").sum() > 0
    assert index.mask("深圳").all()  # every address; the common-query path
