"""Odd query strings on list pages answer a page, never a 500 (found by probing every list with bad values)."""

import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.core import views
from anjian.enterprises.models import Enterprise
from anjian.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "enterprises:enterprise_list",
    "enterprises:licence_list",
    "enterprises:insurance_list",
    "enterprises:archive_list",
    "regions:region_list",
    "regions:park_list",
    "core:auditevent_list",
]
ODD = ["per_page=-5", "per_page=abc", "page=-1", "page=abc", "page=99999999999999999999999", "page=100001",
       "sort=bogus", "export=xlsx&page=abc"]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("query", ODD)
def test_odd_paging_and_sorting_values_answer_a_page(client, personas, name, query):
    client.force_login(personas.city_admin)
    response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 200, (name, query)


def enterprise_counts(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries
            if "COUNT(" in query["sql"].upper() and "enterprises_enterprise" in query["sql"]]


@pytest.fixture
def many(personas):
    """Five enterprises named 分页0..分页4 in town A, and a list of them two to a page (three pages)."""
    for index in range(5):
        EnterpriseFactory(region=personas.village_a, name=f"分页{index}")
    return {"q": "分页", "per_page": 2}


@pytest.fixture
def two_a_page(monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE_CHOICES", (2, 25))


def rows_shown(html: str) -> list[str]:
    return re.findall(r"分页\d", html)


def test_the_total_is_exact_below_the_cap_with_a_last_page_link(client, personas, many, two_a_page):
    client.force_login(personas.city_admin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("enterprises:enterprise_list"), many)
    html = response.content.decode()
    assert "共 5 条" in html
    assert "第 1 / 3 页" in html
    assert re.search(r'href="\?[^"]*page=3[^"]*"[^>]*>末页<', html.replace('data-testid="last-page" ', ""))
    # One count, capped at COUNT_LIMIT + 1 rows: never a COUNT over every row the user may see.
    counts = enterprise_counts(queries)
    assert len(counts) == 1 and f"LIMIT {views.COUNT_LIMIT + 1}" in counts[0], counts


def test_above_the_cap_the_total_reads_n_plus_and_the_last_page_is_not_linked(
    client, personas, many, two_a_page, monkeypatch
):
    monkeypatch.setattr(views, "COUNT_LIMIT", 3)
    client.force_login(personas.city_admin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("enterprises:enterprise_list"), many)
    html = response.content.decode()
    assert "共 3+ 条" in html
    assert "末页" not in html
    assert "第 1 页" in html
    counts = enterprise_counts(queries)
    assert len(counts) == 1 and "LIMIT 4" in counts[0], counts


def test_the_last_page_knows_its_total_without_counting(client, personas, many, two_a_page, monkeypatch):
    monkeypatch.setattr(views, "COUNT_LIMIT", 3)
    client.force_login(personas.city_admin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("enterprises:enterprise_list"), {**many, "page": 3})
    html = response.content.decode()
    assert "共 5 条" in html  # exact although above the cap: the rows before the page plus those on it
    assert rows_shown(html) == ["分页4"]
    assert not enterprise_counts(queries)


@pytest.mark.parametrize("page", ["4", "50", "99999999999999999999999"])
def test_a_page_past_the_end_shows_the_last_page_with_a_note(client, personas, many, two_a_page, page):
    client.force_login(personas.city_admin)
    response = client.get(reverse("enterprises:enterprise_list"), {**many, "page": page})
    html = response.content.decode()
    assert response.status_code == 200
    assert rows_shown(html) == ["分页4"], "the last page, not the first"
    assert f"第 {page} 页不存在，已显示最后一页" in html
    assert "第 3 / 3 页" in html
    assert "共 5 条" in html


def test_a_page_past_the_end_of_an_empty_list_shows_the_empty_list(client, personas):
    client.force_login(personas.city_admin)
    response = client.get(reverse("enterprises:enterprise_list"), {"q": "没有这家", "page": 7})
    html = response.content.decode()
    assert response.status_code == 200
    assert "没有符合条件的记录" in html
    assert "共 0 条" in html


def test_a_page_within_the_list_has_no_note(client, personas, many, two_a_page):
    client.force_login(personas.city_admin)
    html = client.get(reverse("enterprises:enterprise_list"), {**many, "page": 2}).content.decode()
    assert rows_shown(html) == ["分页2", "分页3"]
    assert "不存在" not in html
    assert "共 5 条" in html


@pytest.mark.parametrize("name", LISTS)
def test_every_list_shows_its_total(client, personas, name):
    client.force_login(personas.city_admin)
    html = client.get(reverse(name)).content.decode()
    assert re.search(r"共 [\d,]+\+? 条", html), name


def test_the_total_is_grouped_by_thousands():
    assert views.ListTotal(count=7643, exact=True, per_page=25).label == "7,643"
    assert views.ListTotal(count=views.COUNT_LIMIT + 1, exact=False, per_page=25).label == "10,000+"
    assert views.ListTotal(count=7643, exact=True, per_page=25).last_page == 306
    assert views.ListTotal(count=0, exact=True, per_page=25).last_page == 1
    assert views.ListTotal(count=10_001, exact=False, per_page=25).last_page is None


def test_export_drops_control_characters_that_xlsx_cannot_hold(client, personas):
    Enterprise.objects.filter(pk=personas.enterprise_a.pk).update(name="东城\x04甲企业有限公司")
    client.force_login(personas.city_admin)
    response = client.get(reverse("enterprises:enterprise_list"), {"export": "xlsx", "q": "甲企业"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["东城甲企业有限公司"]
