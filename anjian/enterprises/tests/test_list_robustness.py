"""Odd query strings on list pages answer a page, never a 500 (found by probing every list with bad values)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from anjian.enterprises.models import Enterprise

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


def test_a_page_past_the_end_shows_the_first_page(client, personas):
    client.force_login(personas.city_admin)
    response = client.get(reverse("enterprises:enterprise_list"), {"page": 50})
    assert personas.enterprise_a.name in response.content.decode()


def test_export_drops_control_characters_that_xlsx_cannot_hold(client, personas):
    Enterprise.objects.filter(pk=personas.enterprise_a.pk).update(name="东城\x04甲企业有限公司")
    client.force_login(personas.city_admin)
    response = client.get(reverse("enterprises:enterprise_list"), {"export": "xlsx", "q": "甲企业"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["东城甲企业有限公司"]
