"""The category tree: seed data, descendants, top-level ancestors, counts per node."""

import numpy as np
import pytest

from geo.categories import DEFAULT_TREE, Category, CategoryTree, UnknownCategoryError, nearest_scope
from geo.grid import codes_mask


def test_seed_tree_has_the_four_top_categories_with_chinese_names():
    tree = DEFAULT_TREE
    assert tree.roots() == ["education", "health", "elderly", "hall"]
    assert [tree.name(c) for c in tree.roots()] == ["教育", "医疗", "养老", "政务服务"]
    assert tree.name("health.community") == "社区健康服务中心"
    assert tree.name("elderly.canteen") == "长者饭堂"
    assert tree.name("hall.street") == "街道便民服务中心"
    assert len(tree.categories) == 4 + 15


def test_descendants_include_the_node_itself():
    assert DEFAULT_TREE.descendants("health") == {
        "health",
        "health.hospital",
        "health.community",
        "health.clinic",
        "health.pharmacy",
    }
    assert DEFAULT_TREE.descendants("health.pharmacy") == {"health.pharmacy"}


def test_several_categories_expand_to_the_union():
    assert DEFAULT_TREE.expand(["hall", "education.primary"]) == {
        "hall",
        "hall.district",
        "hall.street",
        "hall.community",
        "education.primary",
    }


def test_deeper_trees_are_followed_all_the_way_down():
    tree = CategoryTree(
        [Category("a", "甲"), Category("a.b", "乙"), Category("a.b.c", "丙"), Category("d", "丁")]
    )
    assert tree.descendants("a") == {"a", "a.b", "a.b.c"}
    assert tree.top_level("a.b.c") == "a"


@pytest.mark.parametrize(
    ("code", "top"),
    [("health.pharmacy", "health"), ("hall", "hall"), ("elderly.day_care", "elderly")],
)
def test_top_level_ancestor(code, top):
    assert DEFAULT_TREE.top_level(code) == top


def test_the_nearest_health_service_means_a_doctor_and_other_codes_mean_themselves():
    # "Nearest 医疗" for a resident: a hospital, a community health centre or a clinic; a pharmacy only by name.
    assert set(nearest_scope("health")) == {"health.hospital", "health.community", "health.clinic"}
    assert nearest_scope("health.pharmacy") == ("health.pharmacy",)
    assert nearest_scope("elderly") == ("elderly",)  # with its descendants, as every filter reads a node
    with pytest.raises(UnknownCategoryError):
        nearest_scope("health.dentist")


def test_unknown_codes_are_refused():
    for call in (DEFAULT_TREE.descendants, DEFAULT_TREE.top_level, DEFAULT_TREE.name):
        with pytest.raises(UnknownCategoryError):
            call("health.dentist")
    with pytest.raises(UnknownCategoryError):
        DEFAULT_TREE.counted({"sports": 1})
    with pytest.raises(UnknownCategoryError):
        CategoryTree([Category("a.b", "孤儿")])  # parent missing


def test_counted_tree_sums_descendants():
    tree = DEFAULT_TREE.counted(
        {"health.pharmacy": 3, "health.clinic": 2, "education.primary": 1, "hall": 4}
    )
    by_code = {node.code: node for node in tree}
    assert [n.code for n in tree] == ["education", "health", "elderly", "hall"]
    assert by_code["health"].count == 5
    assert by_code["education"].count == 1
    assert by_code["elderly"].count == 0
    assert by_code["hall"].count == 4  # POIs filed on the node itself count too
    kids = {k.code: k.count for k in by_code["health"].children}
    assert kids == {
        "health.hospital": 0,
        "health.community": 0,
        "health.clinic": 2,
        "health.pharmacy": 3,
    }
    assert by_code["health"].name == "医疗"


def test_category_ids_build_a_numpy_mask_with_descendants():
    poi_categories = [
        "health.pharmacy",
        "education.primary",
        "health",
        "hall.street",
        "health.clinic",
    ]
    ids = np.array([DEFAULT_TREE.id_of(c) for c in poi_categories])
    mask = codes_mask(ids, DEFAULT_TREE.expand_ids(["health"]))
    assert mask.tolist() == [True, False, True, False, True]
    mask = codes_mask(ids, DEFAULT_TREE.expand_ids(["hall", "education.primary"]))
    assert mask.tolist() == [False, True, False, True, False]
