"""Generic views and helpers of anjian.core: the audit log page, the Excel export, the phone mask, the layout."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from anjian.core import audit
from anjian.core.export import xlsx_response
from anjian.core.privacy import mask_phone
from anjian.core.testing.browser import use_plain_static


@pytest.fixture(autouse=True)
def _plain_static(settings):
    use_plain_static(settings)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("13800001234", "138****1234"), ("0769-22001234", "076****1234"), ("12345", "1**45"), ("", ""), (None, "")],
)
def test_mask_phone(raw, masked):
    assert mask_phone(raw) == masked


def test_export_writes_formulas_as_text():
    response = xlsx_response(headers=["名称", "数量"], rows=[["=HYPERLINK(\"http://x\")", 3]], filename="t.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = workbook.active["A2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x")'
    assert workbook.active["B2"].value == 3


@pytest.mark.django_db
def test_audit_log_lists_only_events_in_scope(client, personas):
    audit.record(actor=personas.city_admin, action="enterprise.update", obj=personas.enterprise_a, reason="甲的理由")
    audit.record(actor=personas.city_admin, action="enterprise.update", obj=personas.enterprise_b, reason="乙的理由")
    client.force_login(personas.town_a_supervisor)
    response = client.get(reverse("core:auditevent_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "甲的理由" in html
    assert "乙的理由" not in html
    export = client.get(reverse("core:auditevent_list"), {"export": "xlsx", "q": "理由"})
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True))
    assert [row[-1] for row in rows[1:]] == ["甲的理由"]


@pytest.mark.django_db
def test_layout_shows_role_jurisdiction_sidebar_and_logout_form(client, personas):
    client.force_login(personas.town_a_supervisor)
    html = client.get(reverse("enterprises:enterprise_list")).content.decode()
    assert "镇街监管人员" in html
    assert personas.town_a.name in html
    assert reverse("regions:region_list") in html
    assert f'action="{reverse("logout")}" method="post"' in html
    assert "csrfmiddlewaretoken" in html
    assert "X-CSRFToken" in html  # htmx requests carry the CSRF header
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(reverse("core:auditevent_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ---- yes/no filters ------------------------------------------------------------------------------------------

LIST_PAGES = [
    "enterprises:enterprise_list",
    "enterprises:licence_list",
    "enterprises:insurance_list",
    "enterprises:archive_list",
    "regions:region_list",
    "regions:park_list",
    "core:auditevent_list",
]


def boolean_filter_names() -> dict[str, list[str]]:
    """Each list page's yes/no filters, read from its FilterSet (declared or generated from a BooleanField)."""
    import django_filters
    from django.urls import resolve

    names = {}
    for page in LIST_PAGES:
        view = resolve(reverse(page)).func.view_class
        filterset = view.filterset_class
        names[page] = [name for name, filter_ in (filterset.base_filters.items() if filterset else ())
                       if isinstance(filter_, django_filters.BooleanFilter)]
    return names


@pytest.mark.django_db
@pytest.mark.parametrize("page", LIST_PAGES)
def test_every_yes_no_filter_reads_all_yes_no(client, personas, page):
    client.force_login(personas.city_admin)
    html = client.get(reverse(page)).content.decode()
    for name in boolean_filter_names()[page]:
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
        assert select, (page, name)
        options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1))
        labels = [(value, label) for value, _selected, label in options]
        assert labels == [("", "全部"), ("true", "是"), ("false", "否")], (page, name)
        assert options[0][1] == " selected", "no filter reads 全部"
    assert "未知" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", LIST_PAGES)
def test_no_choice_in_a_filter_reads_all(client, personas, page):
    client.force_login(personas.city_admin)
    html = client.get(reverse(page)).content.decode()
    form = html[html.find('id="filter-form"'):html.find("</form>", html.find('id="filter-form"'))]
    for name, attrs, first in re.findall(r'<select name="(\w+)"([^>]*)>\s*<option value="([^"]*)"', form):
        assert first == "" or "multiple" in attrs, (page, name)
    assert "---------" not in form


def test_the_enterprise_list_has_yes_no_filters():
    # The test above must have something to check: the flags and 证照到期预警 are yes/no filters.
    names = boolean_filter_names()
    assert {"dust_explosion", "expiring"} <= set(names["enterprises:enterprise_list"])
    assert "superseded" in names["enterprises:licence_list"]


@pytest.mark.django_db
def test_a_yes_no_filter_keeps_its_choice_and_the_query_values_the_api_reads(client, personas):
    from anjian.enterprises.models import Enterprise

    Enterprise.objects.filter(pk=personas.enterprise_a.pk).update(dust_explosion=True)
    client.force_login(personas.city_admin)
    html = client.get(reverse("enterprises:enterprise_list"), {"dust_explosion": "false"}).content.decode()
    assert '<option value="false" selected>否</option>' in html
    assert personas.enterprise_b.name in html and personas.enterprise_a.name not in html
    for value, expected in (("true", {personas.enterprise_a.pk}), ("false", {personas.enterprise_b.pk}),
                            ("", {personas.enterprise_a.pk, personas.enterprise_b.pk})):
        response = client.get("/api/v1/enterprises/", {"dust_explosion": value})
        assert response.status_code == 200
        assert {item["id"] for item in response.json()["results"]} == expected, value


# ---- sidebar -------------------------------------------------------------------------------------------------

SIDEBAR_LINK = re.compile(r'<a class="nav-link( active)?" href="([^"]+)"')


def sidebar(html: str) -> tuple[list[str], list[str]]:
    """The sidebar's link URLs, and those marked active (pages may have their own nav links: tabs)."""
    start = html.index('id="sidebar"')
    links = SIDEBAR_LINK.findall(html[start:html.index("</nav>", start)])
    return [url for _active, url in links], [url for active, url in links if active]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["city_admin", "town_a_supervisor", "enterprise_a_user"])
def test_every_sidebar_page_has_exactly_its_own_entry_active(client, personas, persona):
    client.force_login(getattr(personas, persona))
    urls, _active = sidebar(client.get("/").content.decode())
    assert len(urls) >= 2, urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _urls, active = sidebar(response.content.decode())
        assert active == [url], (url, active)


@pytest.mark.django_db
def test_a_page_under_an_entry_activates_the_longest_matching_entry(client, personas):
    from anjian.enterprises.tests.factories import LicenceFactory

    licence = LicenceFactory(enterprise=personas.enterprise_a)
    client.force_login(personas.city_admin)
    html = client.get(reverse("enterprises:licence_edit", args=[licence.pk])).content.decode()
    urls, active = sidebar(html)
    assert reverse("enterprises:enterprise_list") in urls  # /enterprises/ is a prefix of the page's path as well
    assert active == [reverse("enterprises:licence_list")]


# ---- searchable filter selects -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("page", LIST_PAGES)
def test_list_pages_load_the_searchable_selects_from_files_and_no_inline_script(client, personas, page):
    from django.contrib.staticfiles import finders

    client.force_login(personas.city_admin)
    html = client.get(reverse(page)).content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in attrs for attrs in scripts), scripts  # the Content-Security-Policy forbids inline scripts
    for asset in ("vendor/tom-select/tom-select.complete.min.js", "vendor/tom-select/tom-select.bootstrap5.min.css",
                  "anjian/filters.js"):
        assert f"/static/{asset}" in html, (page, asset)
        assert finders.find(asset), asset
    assert "data-searchable-selects" in html
