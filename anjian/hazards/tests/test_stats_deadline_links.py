"""The 隐患统计 page's 到期 and 按期销号 counts link to the hazard list filtered by deadline and on_time (issue 8 item
7): per town, per domain and in total, with the page's period; the list behind each link counts what the page shows,
in the UI and in the API."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from anjian.hazards.models import Hazard
from anjian.hazards.tests.test_stats import _clock, hazards  # noqa: F401 - fixtures shared with the statistics tests

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="([^"]+)" data-(count|total)="(due|on_time)">([\d,]+)</a>')


def links_on(page: str) -> list[tuple[str, str, int]]:
    """(list URL, which count, the number shown) of every 到期 and 按期销号 link of the statistics page."""
    return [(html.unescape(url), count, int(shown.replace(",", ""))) for url, _kind, count, shown in LINK.findall(page)]


def list_total(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    total = response.context["table"].total
    return total.count if total else 0


@pytest.mark.parametrize("period", [{}, {"start": "2026-03-16", "end": "2026-04-30"}])
def test_each_due_and_on_time_link_lists_as_many_hazards_as_it_shows(personas, hazards, period):  # noqa: F811
    client = Client()
    client.force_login(personas.city_supervisor)

    page = client.get(reverse("hazards:hazard_stats"), period).content.decode()

    links = links_on(page)
    # The total's two, and two per town and per domain that have hazards (towns A and B; two domains).
    assert len(links) == 2 + 2 * 2 + 2 * 2
    assert any(shown for _url, _count, shown in links)
    for url, count, shown in links:
        query = parse_qs(urlsplit(url).query)
        assert query["deadline_after"] == [period.get("start", "2026-01-01")]
        assert query["deadline_before"] == [period.get("end", "2026-06-30")]
        assert ("on_time" in query) == (count == "on_time")
        assert list_total(client, url) == shown, url


def test_the_api_filters_by_deadline_and_on_time(personas, hazards):  # noqa: F811
    client = Client()
    client.force_login(personas.city_supervisor)
    query = {"deadline_after": "2026-01-01", "deadline_before": "2026-06-30", "on_time": "true", "page_size": 100}

    response = client.get("/api/v1/hazards/", query)

    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    expected = {hazards[name].pk for name in ("on_time", "evening", "b_on_time", "other_domain")}
    assert ids == expected, "closed with the local date of rectification on or before the deadline"
    late = client.get("/api/v1/hazards/", {**query, "on_time": "false"}).json()["results"]
    assert hazards["late"].pk in {row["id"] for row in late}
    assert Hazard.objects.filter(deadline__isnull=True).exists()
    assert client.get("/api/v1/hazards/", {"deadline_after": "gestern"}).status_code == 400
