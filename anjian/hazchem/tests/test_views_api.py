"""The catalogue's list page (search box, flag filters, nearest names) and its API's search (issue 9 item 1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.testing.matrix import client_for, page_text
from anjian.hazchem.models import Chemical

pytestmark = pytest.mark.django_db


def test_list_filters_by_flags(personas, catalogue):
    client = client_for(personas.town_a_supervisor)
    url = reverse("hazchem:chemical_list")
    explosive = page_text(client.get(url, {"explosive_precursor": "true", "q": "硝酸"}))
    assert "硝酸钡" in explosive and "硝酸钙" in explosive and "硝酸苯胺" not in explosive
    assert "阿片" not in page_text(client.get(url, {"explosive_precursor": "true"}))
    key = page_text(client.get(url, {"key_supervised": "true", "q": "氯"}))
    assert "液氯" in key
    drug = page_text(client.get(url, {"drug_precursor": "true"}))
    assert "丙酮" in drug and "阿片" not in drug


def test_list_offers_nearest_names_for_an_unknown_name(personas, catalogue):
    client = client_for(personas.enterprise_a_user)
    shown = page_text(client.get(reverse("hazchem:chemical_list"), {"q": "氯乙稀"}))
    assert "相近的品名" in shown and "氯乙烯[稳定的]" in shown


def test_api_search_is_ranked(personas, catalogue):
    client = client_for(personas.grid_worker_a)
    body = client.get("/api/v1/chemicals/", {"search": "7664-41-7"}).json()
    assert body["results"][0]["name"] == "氨"
    assert body["results"][0]["cas_numbers"] == ["7664-41-7"]
    assert body["nearest_names"] == []
    body = client.get("/api/v1/chemicals/", {"search": "lyx"}).json()
    assert "氯乙烯[稳定的]" in [row["name"] for row in body["results"]]


def test_api_unknown_name_gets_nearest_names(personas, catalogue):
    client = client_for(personas.expert_a)
    response = client.get("/api/v1/chemicals/", {"search": "氯乙稀"})
    assert response.status_code == 200
    body = response.json()
    assert body["results"] == [] and "氯乙烯[稳定的]" in body["nearest_names"]


def test_api_list_pages_the_catalogue_and_filters_flags(personas, catalogue):
    client = client_for(personas.city_supervisor)
    body = client.get("/api/v1/chemicals/", {"key_supervised": "true", "page_size": 100}).json()
    assert body["results"] and all(row["key_supervised"] for row in body["results"])
    assert client.get("/api/v1/chemicals/", {"key_supervised": "maybe"}).status_code == 400
    assert Chemical.objects.filter(key_supervised=True).count() == len(body["results"]) or body["next"]
