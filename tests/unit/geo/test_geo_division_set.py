"""Listing the divisions of a snapshot: levels, children, and a level below a parent."""

from shapely.geometry import box

from geo.division_set import DivisionSet, DivisionShape


def shape(code: str, level: str, parent: str | None) -> DivisionShape:
    return DivisionShape(code, f"区划{code}", level, parent, box(114.0, 22.5, 114.1, 22.6))


def test_a_level_below_a_parent_reaches_past_its_children():
    divisions = DivisionSet([shape("C1", "community", "S1"), shape("S1", "street", "D"), shape("D", "district", None),
                             shape("S2", "street", "D"), shape("C2", "community", "S2"), shape("X", "community", "Y")])

    def codes(**query: str) -> list[str]:
        return [s.code for s in divisions.listed(**query)]

    assert codes() == ["D", "S1", "S2", "C1", "C2", "X"]
    assert codes(parent="D") == ["S1", "S2"]
    assert codes(parent="D", level="community") == ["C1", "C2"]
    assert codes(parent="S2", level="community") == ["C2"]
    assert codes(parent="C1", level="district") == []
    assert (divisions.children("D"), divisions.children("C1")) == (2, 0)


def test_parents_that_loop_end_the_walk_instead_of_hanging():
    # An import names parents as given; two divisions naming each other must not stall a request.
    divisions = DivisionSet([shape("A", "street", "B"), shape("B", "street", "A"), shape("C", "community", "A")])
    assert [s.code for s in divisions.listed(parent="B", level="community")] == ["C"]
    assert [s.code for s in divisions.listed(parent="Z", level="community")] == []
