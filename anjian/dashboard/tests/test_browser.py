"""Browser tests of the dashboards and the map (issue 7 items 5 and 6), in Chromium through Playwright.

A city supervisor clicks a town's bar and lands on that town's dashboard; the domain donut and its legend never
overlap, on a desktop and on a phone; a click on a town area of the map offers that town's dashboard. Screenshots go
to /tmp/anjian-shots/ (ANJIAN_SHOTS_DIR).

Run: .venv/bin/python -m pytest -m browser anjian/dashboard/tests/test_browser.py
"""

from __future__ import annotations

import pytest

from anjian.core.testing.browser import login, shot
from anjian.core.testing.personas import PASSWORD
from anjian.enterprises.choices import SupervisionDomain
from anjian.enterprises.models import Enterprise
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.regions.selectors import region_containing
from anjian.regions.services import city_outline, load_approximate_outlines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The donut's and its legend's boxes in the chart's pixels: [x, y, width, height] each, and the chart's size.
DONUT_BOXES = """
() => {
  const element = document.getElementById("chart-domains");
  const chart = echarts.getInstanceByDom(element);
  const legendModel = chart.getModel().getComponent("legend");
  const group = chart.getViewOfComponentModel(legendModel).group;
  const rect = group.getBoundingRect();
  const layout = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(0);
  return {
    legend: [group.x + rect.x, group.y + rect.y, rect.width, rect.height],
    pie: [layout.cx - layout.r, layout.cy - layout.r, 2 * layout.r, 2 * layout.r],
    size: [element.clientWidth, element.clientHeight],
    legendEntries: legendModel.getData().length,
    sliceLabels: chart.getOption().series[0].label.show,
    colours: new Set(chart.getOption().color.slice(0, chart.getModel().getSeriesByIndex(0).getData().count())).size
  };
}
"""


@pytest.fixture
def city(personas):
    # One enterprise per domain in town A, so the legend has every entry (the longest legend there is).
    village_a2 = personas.town_a.children.order_by("code")[1]
    for index, (domain, _label) in enumerate(SupervisionDomain.choices):
        EnterpriseFactory(region=personas.village_a if index % 2 else village_a2, domain=domain)
    return personas


def overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def test_a_town_bar_opens_the_town_dashboard(live_server, page, city):
    login(page, live_server.url, city.city_supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/")
    page.wait_for_function("() => window.echarts && echarts.getInstanceByDom(document.getElementById('chart-areas'))")
    # The bars grow from zero when drawn: click once the chart has finished (else a loaded machine clicks beside a
    # bar still growing). `finished` may already have fired, hence the time-out.
    page.evaluate("""() => new Promise((resolve) => {
      echarts.getInstanceByDom(document.getElementById("chart-areas")).on("finished", resolve);
      setTimeout(resolve, 3000);
    })""")
    # The pixel of 东城街道's bar, from the chart's own axes.
    x, y = page.evaluate(
        """(name) => {
          const chart = echarts.getInstanceByDom(document.getElementById("chart-areas"));
          const y = chart.convertToPixel({yAxisIndex: 0}, name);
          const x = chart.convertToPixel({xAxisIndex: 0}, 0.5);
          return [x, y];
        }""",
        "东城街道",
    )
    box = page.locator("#chart-areas").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(f"**/dashboard/region/{city.town_a.code}/")
    assert page.locator("#dashboard-title").text_content() == "东城街道"
    crumbs = page.locator(".breadcrumb .breadcrumb-item").all_text_contents()
    assert [crumb.strip() for crumb in crumbs] == ["首页", "东莞市", "东城街道"]
    shot(page, "dashboard-town")

    # From the town, a village: the data table's first village name links to its dashboard.
    page.locator("details summary").click()
    page.locator("#table-areas tbody a").first.click()
    page.wait_for_url("**/dashboard/region/4419000030*/")
    assert len(page.locator(".breadcrumb .breadcrumb-item").all_text_contents()) == 4


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (1024, 768), (390, 844)])
def test_donut_and_legend_do_not_overlap(live_server, page, city, width, height):
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server.url, city.city_supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/region/{city.town_a.code}/")
    page.wait_for_function("() => window.echarts && echarts.getInstanceByDom(document.getElementById('chart-domains'))")
    page.wait_for_timeout(300)
    boxes = page.evaluate(DONUT_BOXES)
    shot(page, f"dashboard-donut-{width}")

    assert boxes["legendEntries"] == len(SupervisionDomain.choices)
    assert boxes["colours"] == len(SupervisionDomain.choices)  # no two domains share a colour
    # Counts are in the legend; labels around the slices are what ran into the legend before.
    assert boxes["sliceLabels"] is False
    assert not overlap(boxes["legend"], boxes["pie"]), boxes
    # Both inside the chart: nothing cut off at an edge.
    chart = [0, 0, *boxes["size"]]
    for name in ("legend", "pie"):
        x, y, w, h = boxes[name]
        assert x >= -1 and y >= -1 and x + w <= chart[2] + 1 and y + h <= chart[3] + 1, (name, boxes)


def test_a_click_on_a_town_area_offers_its_dashboard(live_server, page, city):
    load_approximate_outlines()
    # No points: the map fits the city outline, so its centre is the outline's bbox centre.
    Enterprise.objects.update(latitude=None, longitude=None)
    coordinates = city_outline()["geometry"]["coordinates"][0]
    lng = (min(c[0] for c in coordinates) + max(c[0] for c in coordinates)) / 2
    lat = (min(c[1] for c in coordinates) + max(c[1] for c in coordinates)) / 2
    town = region_containing(latitude=lat, longitude=lng, approximate=True)
    assert town is not None

    login(page, live_server.url, city.city_supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/map/")
    page.wait_for_function("() => document.getElementById('map-status').textContent.includes('0')")
    page.wait_for_timeout(500)
    box = page.locator("#enterprise-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content")
    assert town.name in popup.text_content()
    assert "示意范围" in popup.text_content()
    shot(page, "map-town-popup")
    popup.locator("a").click()
    page.wait_for_url(f"**/dashboard/region/{town.code}/")
