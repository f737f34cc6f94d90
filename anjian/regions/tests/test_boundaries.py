"""Region outlines: `anjian load-boundaries FILE` (all or nothing, a Chinese line per refused feature), the
approximate town areas, and "which town is this point in"."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from anjian.cli import main as anjian_cli
from anjian.regions import geometry as geo
from anjian.regions.models import Region, RegionOutline
from anjian.regions.selectors import region_containing, town_outline_mismatch
from anjian.regions.services import APPROXIMATE_SOURCE, load_approximate_outlines

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "two_towns.geojson"
DONGCHENG = "441900003000"
HUMEN = "441900121000"
# Inside the fixture's squares: 东城 113.76–113.81 / 22.98–23.03, 虎门 113.64–113.71 / 22.78–22.85.
IN_DONGCHENG = {"latitude": 23.0, "longitude": 113.78}
IN_HUMEN = {"latitude": 22.82, "longitude": 113.67}


def fixture_data() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict) -> str:
    path = tmp_path / "boundaries.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run(path: str) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("load_boundaries", path, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path: str) -> str:
    """Run the command expecting a refusal; answer its report (stderr) and check that nothing was written."""
    from io import StringIO

    before = list(RegionOutline.objects.order_by("pk").values_list("pk", "approximate", "source"))
    err = StringIO()
    with pytest.raises(CommandError, match="未导入任何范围"):
        call_command("load_boundaries", path, stdout=StringIO(), stderr=err)
    assert list(RegionOutline.objects.order_by("pk").values_list("pk", "approximate", "source")) == before
    return err.getvalue()


def test_loads_two_towns_from_the_fixture():
    out, err = run(str(FIXTURE))

    assert "已导入 2 个区划的范围" in out and err == ""
    dongcheng = RegionOutline.objects.get(region__code=DONGCHENG)
    assert dongcheng.approximate is False and dongcheng.source == "two_towns.geojson"
    assert (dongcheng.west, dongcheng.south, dongcheng.east, dongcheng.north) == (113.76, 22.98, 113.81, 23.03)
    assert dongcheng.geometry["type"] == "Polygon"
    # `adcode` as a 9-digit number names the town as well.
    humen = RegionOutline.objects.get(region__code=HUMEN)
    assert humen.geometry["type"] == "MultiPolygon"
    assert (humen.west, humen.north) == (113.64, 22.85)


def test_the_anjian_cli_dispatches_load_boundaries(monkeypatch):
    """`anjian load-boundaries FILE` reaches this app's command. (Not run through the CLI here: a management run
    closes the database connections at its end, which would close the test's own on PostgreSQL.)"""
    from django.core.management import get_commands

    seen = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", seen.append)
    anjian_cli(["anjian", "load-boundaries", str(FIXTURE)])
    assert seen == [["anjian", "load_boundaries", str(FIXTURE)]]
    assert get_commands()["load_boundaries"] == "anjian.regions"


def test_code_property_may_be_named_daima(tmp_path):
    data = fixture_data()
    data["features"][0]["properties"] = {"代码": DONGCHENG}
    data["features"] = data["features"][:1]
    run(write(tmp_path, data))
    assert RegionOutline.objects.filter(region__code=DONGCHENG, approximate=False).exists()


def test_self_intersecting_polygon_is_refused_and_nothing_is_written(tmp_path):
    data = fixture_data()
    # A bow tie: the ring crosses itself in the middle.
    data["features"][1]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[113.64, 22.78], [113.71, 22.85], [113.71, 22.78], [113.64, 22.85], [113.64, 22.78]]],
    }
    report = refused(write(tmp_path, data))

    assert "第 2 个要素（441900121000）：几何无效：边自相交" in report
    assert "第 1 个要素" not in report  # the good feature is not reported ...
    assert not RegionOutline.objects.exists()  # ... and not written either: the file is all or nothing


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (
            {"type": "Polygon", "coordinates": [[[113.76, 22.98], [113.81, 22.98], [113.81, 23.03], [113.76, 23.03]]]},
            "外环未闭合（首尾坐标不同）",
        ),
        ({"type": "Point", "coordinates": [113.78, 23.0]}, "几何类型“Point”不受支持，只接受 Polygon 或 MultiPolygon"),
        (
            {"type": "Polygon", "coordinates": [[[113.76, 22.98], [113.81, 22.98], [113.76, 22.98]]]},
            "外环的点数少于 4 个",
        ),
        (None, "缺少几何（geometry）"),
        (
            # Latitude and longitude swapped.
            {"type": "Polygon", "coordinates": [[[22.98, 113.76], [22.98, 113.81], [23.03, 113.81], [22.98, 113.76]]]},
            "不在东莞市范围内",
        ),
        ({"type": "Polygon", "coordinates": [["a", "b", "c", "d"]]}, "外环的坐标格式错误"),
    ],
)
def test_invalid_geometry_is_refused(tmp_path, geometry, message):
    data = fixture_data()
    data["features"][0]["geometry"] = geometry
    report = refused(write(tmp_path, data))
    assert f"第 1 个要素（{DONGCHENG}）：" in report
    assert message in report
    assert not RegionOutline.objects.exists()


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ({"code": "440300000000"}, "区划代码“440300000000”不是东莞市（4419）的代码"),
        ({"adcode": 440306}, "区划代码“440306”格式错误"),
        ({"code": "441900999000"}, "区划代码“441900999000”不在行政区划表中"),
        ({"code": "441900000000"}, "只导入镇街和村（社区）的范围，“东莞市”是市级"),
        ({"name": "无代码"}, "缺少区划代码（属性 code、adcode 或 代码）"),
    ],
)
def test_foreign_or_unknown_code_is_refused(tmp_path, properties, message):
    data = fixture_data()
    data["features"][1]["properties"] = properties
    report = refused(write(tmp_path, data))
    assert message in report
    assert not RegionOutline.objects.exists()


def test_every_problem_is_reported_row_by_row(tmp_path):
    data = fixture_data()
    data["features"].append(copy.deepcopy(data["features"][0]))  # the same town twice
    data["features"].append({"type": "Feature", "properties": {"code": "440300000000"}, "geometry": None})
    report = refused(write(tmp_path, data)).splitlines()

    assert report == [
        "第 3 个要素（441900003000）：与第 1 个要素的区划代码重复。",
        "第 4 个要素（440300000000）：区划代码“440300000000”不是东莞市（4419）的代码。",
        "第 4 个要素（440300000000）：缺少几何（geometry）。",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "文件不是有效的 JSON"),
        ('{"type": "Feature"}', "文件不是 GeoJSON 要素集合（FeatureCollection）"),
        ('{"type": "FeatureCollection", "features": []}', "文件中没有任何要素"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused(tmp_path, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    assert message in refused(str(path))


def test_missing_file_is_a_clear_error(tmp_path):
    assert "找不到文件" in refused(str(tmp_path / "nowhere.geojson"))


def test_a_failing_file_keeps_the_outlines_already_loaded(tmp_path):
    run(str(FIXTURE))
    data = fixture_data()
    data["features"][0]["geometry"]["coordinates"][0][2] = [113.9, 23.2]  # would change 东城
    data["features"][1]["properties"] = {"code": "999999999999"}
    refused(write(tmp_path, data))
    assert RegionOutline.objects.get(region__code=DONGCHENG).east == 113.81


def test_region_containing_uses_real_outlines():
    assert region_containing(**IN_DONGCHENG) is None
    run(str(FIXTURE))

    assert region_containing(**IN_DONGCHENG).code == DONGCHENG
    assert region_containing(**IN_HUMEN).code == HUMEN
    assert region_containing(latitude=22.98, longitude=113.79).code == DONGCHENG  # on the edge counts as inside
    assert region_containing(latitude=23.1, longitude=113.9) is None
    assert region_containing(latitude=22.90, longitude=113.75) is None  # between the two squares


def test_region_containing_ignores_approximate_areas_unless_asked():
    load_approximate_outlines()
    assert region_containing(**IN_HUMEN) is None
    assert region_containing(**IN_HUMEN, approximate=True).code == HUMEN


def test_coordinates_outside_the_town_outline_are_reported():
    run(str(FIXTURE))
    village_a = Region.objects.get(code=DONGCHENG).children.order_by("code").first()

    assert town_outline_mismatch(region=village_a, **IN_DONGCHENG) is None
    mismatch = town_outline_mismatch(region=village_a, **IN_HUMEN)
    assert mismatch["town"].code == DONGCHENG and mismatch["found"].code == HUMEN
    outside = town_outline_mismatch(region=village_a, latitude=23.1, longitude=113.95)
    assert outside["town"].code == DONGCHENG and outside["found"] is None
    assert town_outline_mismatch(region=village_a, latitude=None, longitude=None) is None


def test_no_mismatch_without_a_real_outline():
    """The 示意 areas are guesses: nothing is reported against them."""
    load_approximate_outlines()
    village_a = Region.objects.get(code=DONGCHENG).children.order_by("code").first()
    assert town_outline_mismatch(region=village_a, **IN_HUMEN) is None


def test_approximate_areas_cover_every_town_centre_inside_the_city():
    count = load_approximate_outlines()
    towns = Region.objects.filter(level="town", latitude__isnull=False)

    assert count == towns.count() == 36
    for town in towns:
        outline = town.outline
        assert outline.approximate is True and outline.source == APPROXIMATE_SOURCE
        assert geo.geometry_errors(outline.geometry) == [], town.name
        assert geo.covers(outline.geometry, latitude=town.latitude, longitude=town.longitude), town.name
        assert outline.west <= float(town.longitude) <= outline.east
    # Each centre lies in its own area only (Voronoi cells do not overlap).
    for town in towns:
        holders = [
            other.code for other in towns
            if geo.covers(other.outline.geometry, latitude=town.latitude, longitude=town.longitude)
        ]
        assert holders == [town.code]


def test_approximate_areas_never_replace_a_real_outline_and_a_real_one_replaces_them():
    load_approximate_outlines()
    assert RegionOutline.objects.get(region__code=DONGCHENG).approximate is True
    run(str(FIXTURE))
    assert RegionOutline.objects.get(region__code=DONGCHENG).approximate is False

    load_approximate_outlines()  # load-reference again
    dongcheng = RegionOutline.objects.get(region__code=DONGCHENG)
    assert dongcheng.approximate is False and dongcheng.east == 113.81
    assert RegionOutline.objects.filter(approximate=True).count() == 34


def test_command_help_documents_the_code_properties():
    from anjian.regions.management.commands.load_boundaries import Command

    for name in ("code", "adcode", "代码", "Polygon", "MultiPolygon", "4419"):
        assert name in Command.help


def test_check_only_reports_and_writes_nothing(tmp_path):
    from io import StringIO

    out = StringIO()
    call_command("load_boundaries", str(FIXTURE), "--check", stdout=out)
    assert "检查通过：2 个区划的范围可以导入（未写入）" in out.getvalue()
    assert not RegionOutline.objects.exists()

    data = fixture_data()
    data["features"][0]["properties"] = {"code": "440300000000"}
    err = StringIO()
    with pytest.raises(CommandError, match="未导入任何范围"):
        call_command("load_boundaries", write(tmp_path, data), "--check", stdout=StringIO(), stderr=err)
    assert "不是东莞市（4419）的代码" in err.getvalue()
