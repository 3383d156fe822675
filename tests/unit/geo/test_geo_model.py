"""Domain rules of POIs and divisions."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from shapely.geometry import LineString, Polygon

from geo.model import (
    POI_STATUSES,
    Division,
    Poi,
    PoiRuleError,
    status_code,
    within_china_bounds,
)

SQUARE = Polygon([(114.0, 22.5), (114.1, 22.5), (114.1, 22.6), (114.0, 22.6)])


def poi(**changes):
    fields = {
        "id": 1,
        "name": "莲花街道社区健康服务中心",
        "category": "health.community",
        "lon": 114.0579,
        "lat": 22.5431,
    }
    return Poi(**{**fields, **changes})


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [
        (114.0579, 22.5431, True),  # Shenzhen
        (73.0, 3.8, True),  # south-west corner, edges included
        (135.1, 53.6, True),
        (72.99, 40.0, False),
        (135.11, 48.0, False),
        (100.0, 3.79, False),
        (100.0, 53.61, False),
        (22.5431, 114.0579, False),  # lat and lon swapped
        (0.0, 0.0, False),
    ],
)
def test_china_bounding_box(lon, lat, inside):
    assert within_china_bounds(lon, lat) is inside


def test_poi_outside_china_is_rejected_with_the_field():
    with pytest.raises(PoiRuleError) as caught:
        poi(lon=22.5431, lat=114.0579)
    assert caught.value.field == "geometry"
    with pytest.raises(PoiRuleError):
        poi(lon=float("nan"))


def test_poi_needs_a_name():
    with pytest.raises(PoiRuleError) as caught:
        poi(name="  ")
    assert caught.value.field == "name"


def test_poi_status_values():
    assert POI_STATUSES == ("open", "temporarily_closed", "closed")
    assert poi(status="temporarily_closed").status == "temporarily_closed"
    with pytest.raises(PoiRuleError) as caught:
        poi(status="deleted")
    assert caught.value.field == "status"
    assert [status_code(s) for s in POI_STATUSES] == [0, 1, 2]


def test_poi_timestamps_must_be_aware():
    aware = datetime(2026, 9, 28, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert poi(created_at=aware, updated_at=aware).created_at == aware
    with pytest.raises(PoiRuleError):
        poi(created_at=datetime(2026, 9, 28, 9))


def test_poi_is_bookable_only_with_a_hall():
    assert not poi().bookable
    assert poi(hall_id=7).bookable
    assert poi().point == (114.0579, 22.5431)


def test_division_rules():
    street = Division(
        code="440304001", name="园岭街道", level="street", parent_code="440304", geometry=SQUARE
    )
    district = Division(
        code="440304", name="福田区", level="district", parent_code=None, geometry=SQUARE
    )
    assert sorted([street, district], key=lambda d: d.rank) == [district, street]
    with pytest.raises(PoiRuleError):
        Division(code="x", name="某市", level="city", parent_code=None, geometry=SQUARE)
    with pytest.raises(PoiRuleError):
        Division(code="x", name="某社区", level="community", parent_code=None, geometry=SQUARE)
    with pytest.raises(PoiRuleError):
        Division(
            code="x",
            name="某区",
            level="district",
            parent_code=None,
            geometry=LineString([(114, 22), (115, 23)]),
        )
