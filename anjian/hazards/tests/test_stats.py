"""Hazard statistics and the rectification rate (issue 8 item 7): counts over the user's reach, closed on time / due
per town and per domain, as aggregates in the database; the 隐患统计 page links each count to the filtered list."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from anjian.core.testing.browser import use_plain_static
from anjian.core.testing.personas import OTHER_DOMAIN
from anjian.enterprises.choices import SupervisionDomain
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.hazards import selectors_stats
from anjian.hazards.choices import HazardLevel, HazardStatus, SupervisionLevel
from anjian.hazards.tests.factories import make_hazard

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 6, 30)
DEADLINE = dt.date(2026, 3, 16)


def at(date: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _clock(time_machine, settings):
    use_plain_static(settings)
    time_machine.move_to(at(TODAY, 10), tick=False)


@pytest.fixture
def hazards(personas):
    """Town A: 5 due this year (2 closed on time, one of them late in the deadline's evening; 1 closed the next
    night; 1 overdue; 1 rectified late and awaiting verification), 1 due next month, 1 due last year, 1 listed 重大.
    Town B: 2 due this year, 1 closed on time. Another domain in town A: 1 due, closed on time."""
    a, b = personas.enterprise_a, personas.enterprise_b
    other = EnterpriseFactory(region=personas.village_a, name="东城丙建筑有限公司", domain=OTHER_DOMAIN)
    closed = {"status": HazardStatus.CLOSED, "closed_at": at(DEADLINE, 23, 50)}
    return {
        "on_time": make_hazard(a, deadline=DEADLINE, rectified_at=at(DEADLINE, 9), **closed),
        "evening": make_hazard(a, deadline=DEADLINE, rectified_at=at(DEADLINE, 23, 30), **closed),
        # 00:30 in Dongguan is still the deadline's date in UTC: the local date decides.
        "late": make_hazard(a, deadline=DEADLINE, rectified_at=at(DEADLINE + dt.timedelta(days=1), 0, 30), **closed),
        "overdue": make_hazard(a, status=HazardStatus.RECTIFYING, deadline=dt.date(2026, 5, 1), overdue=True),
        "awaiting": make_hazard(a, status=HazardStatus.RECTIFIED, deadline=dt.date(2026, 4, 1),
                                rectified_at=at(dt.date(2026, 3, 1), 9)),
        "future": make_hazard(a, status=HazardStatus.RECTIFYING, deadline=dt.date(2026, 7, 20)),
        "last_year": make_hazard(a, deadline=dt.date(2025, 12, 20), rectified_at=at(dt.date(2025, 12, 1), 9),
                                 **closed),
        "listed": make_hazard(a, level=HazardLevel.MAJOR, supervision_level=SupervisionLevel.CITY,
                              listed_at=at(dt.date(2026, 6, 1), 9)),
        "b_on_time": make_hazard(b, deadline=DEADLINE, rectified_at=at(DEADLINE, 9), **closed),
        "b_open": make_hazard(b, status=HazardStatus.RECTIFYING, deadline=dt.date(2026, 6, 1), overdue=True),
        "other_domain": make_hazard(other, deadline=DEADLINE, rectified_at=at(DEADLINE, 9), **closed),
    }


def test_the_city_sees_every_town_and_the_rate_counts_the_local_date(personas, hazards):
    totals = selectors_stats.hazard_totals(user=personas.city_supervisor)
    assert totals["total"] == 11
    assert totals["due"] == 8 and totals["on_time"] == 4  # on_time, evening, b_on_time, other_domain
    assert totals["rate"] == 50.0
    assert totals["overdue"] == 2 and totals["listed"] == 1 and totals["major"] == totals["major_open"] == 1
    assert totals["open"] == 5 and totals[HazardStatus.CLOSED] == 6
    towns = {row["name"]: row for row in selectors_stats.totals_by_town(user=personas.city_supervisor)}
    assert set(towns) == {"东城街道", "虎门镇"}
    assert towns["东城街道"]["code"] == personas.town_a.code
    assert (towns["东城街道"]["due"], towns["东城街道"]["on_time"], towns["东城街道"]["rate"]) == (6, 3, 50.0)
    assert (towns["虎门镇"]["due"], towns["虎门镇"]["on_time"], towns["虎门镇"]["rate"]) == (2, 1, 50.0)
    domains = {row["domain"]: row for row in selectors_stats.totals_by_domain(user=personas.city_supervisor)}
    assert domains["machinery"]["label"] == str(SupervisionDomain.MACHINERY.label)
    assert (domains["machinery"]["due"], domains["machinery"]["on_time"]) == (7, 3)
    assert (domains[OTHER_DOMAIN]["due"], domains[OTHER_DOMAIN]["on_time"], domains[OTHER_DOMAIN]["rate"]) == (1, 1,
                                                                                                            100.0)


def test_a_town_sees_its_own_and_an_enterprise_its_own(personas, hazards):
    town = selectors_stats.hazard_totals(user=personas.town_a_supervisor)
    assert town["total"] == 9 and town["due"] == 6
    assert [row["name"] for row in selectors_stats.totals_by_town(user=personas.town_b_supervisor)] == ["虎门镇"]
    own = selectors_stats.hazard_totals(user=personas.enterprise_a_user)
    assert own["total"] == 8 and own["due"] == 5 and own["on_time"] == 2
    department = selectors_stats.totals_by_domain(user=personas.department_a_supervisor)
    assert [row["domain"] for row in department] == ["machinery"]
    assert selectors_stats.hazard_totals(user=personas.expert_a)["total"] == 8  # assigned enterprise A


def test_a_period_and_a_region_narrow_the_counts(personas, hazards):
    period = selectors_stats.Period(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    assert selectors_stats.hazard_totals(user=personas.city_supervisor, period=period)["due"] == 1
    town_b = selectors_stats.hazard_totals(user=personas.city_supervisor, region=personas.town_b)
    assert town_b["total"] == 2
    village = selectors_stats.hazard_totals(user=personas.city_supervisor, region=personas.village_a)
    assert village["total"] == 9


def test_no_rate_when_nothing_is_due(personas):
    totals = selectors_stats.hazard_totals(user=personas.city_supervisor)
    assert totals["due"] == 0 and totals["rate"] is None


@pytest.mark.parametrize("persona", ["town_a_supervisor", "enterprise_a_user"])
def test_each_statistic_is_a_fixed_number_of_queries(personas, hazards, django_assert_num_queries, persona):
    user = getattr(personas, persona)
    user.reach()
    with django_assert_num_queries(2):  # the state counts, the due counts
        selectors_stats.hazard_totals(user=user)
    with django_assert_num_queries(3):  # the same grouped by place, the towns
        selectors_stats.totals_by_town(user=user)
    with django_assert_num_queries(2):
        selectors_stats.totals_by_domain(user=user)


@pytest.mark.parametrize("persona", ["city_supervisor", "town_a_supervisor", "town_b_supervisor",
                                     "department_a_supervisor"])
def test_the_running_counts_and_the_hazards_give_the_same_numbers(personas, hazards, persona):
    """Whole towns, the city and departments read the running counts (anjian.hazards.tally); the same figures
    counted from the hazards themselves, for every period and region the page may ask."""
    user = getattr(personas, persona)
    for period in (None, selectors_stats.Period(start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31)),
                   selectors_stats.Period(start=DEADLINE, end=DEADLINE)):
        for region in (None, personas.town_a):
            chosen = period or selectors_stats.Period.this_year()
            assert selectors_stats._tally_source(user, region, chosen) is not None
            direct = selectors_stats._hazard_source(user, region, chosen)
            expected = selectors_stats._finish({**direct.states.aggregate(**direct.state_measures),
                                                **direct.dues.aggregate(**direct.due_measures)})
            assert selectors_stats.hazard_totals(user=user, region=region, period=period) == expected


def test_the_page_links_each_count_to_the_filtered_list(personas, hazards):
    client = Client()
    client.force_login(personas.town_a_supervisor)
    response = client.get(reverse("hazards:hazard_stats"))
    assert response.status_code == 200
    html = response.content.decode()
    list_url = reverse("hazards:hazard_list")
    code = personas.town_a.code
    assert f'href="{list_url}?town={code}&amp;overdue=true"' in html
    assert f'href="{list_url}?town={code}&amp;status=closed"' in html
    assert f'href="{list_url}?town={code}&amp;level=major"' in html
    assert f'href="{list_url}?domain=machinery&amp;overdue=true"' in html
    assert f'href="{list_url}?town={code}&amp;listed=true"' in html
    assert "虎门镇" not in html
    assert "50.0%" in html
    assert 'value="2026-01-01"' in html and 'value="2026-06-30"' in html


def test_a_bad_period_is_explained_and_the_default_used(personas, hazards):
    client = Client()
    client.force_login(personas.city_supervisor)
    response = client.get(reverse("hazards:hazard_stats"), {"start": "2026-07-01", "end": "2026-01-01"})
    assert response.status_code == 200
    assert "开始日期不能晚于结束日期。" in response.content.decode()
    response = client.get(reverse("hazards:hazard_stats"), {"start": "not-a-date"})
    assert response.status_code == 200
    assert "输入一个有效的日期" in response.content.decode()
    response = client.get(reverse("hazards:hazard_stats"), {"start": "2025-01-01", "end": "2025-12-31"})
    assert 'data-stat="rate">100.0%' in response.content.decode()


def test_the_sidebar_offers_statistics_to_regulators_only(personas):
    stats = reverse("hazards:hazard_stats")
    for persona, shown in (("city_supervisor", True), ("town_a_supervisor", True), ("grid_worker_a", False),
                           ("enterprise_a_user", False)):
        client = Client()
        client.force_login(getattr(personas, persona))
        html = client.get(reverse("home")).content.decode()
        assert (f'<a class="nav-link" href="{stats}"' in html) is shown, persona


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("hazards:hazard_stats"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_home_dashboard_counts_hazards_in_reach_and_links_each_number(personas, hazards):
    client = Client()
    client.force_login(personas.town_a_supervisor)
    response = client.get(reverse("home"))
    section = response.context["hazards"]
    assert section["totals"]["open"] == 4 and section["totals"]["overdue"] == 1
    assert section["totals"]["listed"] == 1 and section["totals"]["rate"] == 50.0
    html = response.content.decode()
    list_url = reverse("hazards:hazard_list")
    assert f'href="{list_url}?overdue=true"' in html and f'href="{list_url}?listed=true"' in html
    assert f'href="{list_url}?status=rectifying"' in html and f'href="{list_url}?level=major"' in html
    assert 'data-hazard-stat="rate">50.0%' in html
    assert reverse("hazards:hazard_stats") in html


def test_a_region_dashboard_narrows_the_hazard_counts_to_the_region(personas, hazards):
    client = Client()
    client.force_login(personas.city_supervisor)
    response = client.get(reverse("region_dashboard", args=[personas.town_b.code]))
    assert response.context["hazards"]["totals"]["total"] == 2
    html = response.content.decode()
    assert f'href="{reverse("hazards:hazard_list")}?town={personas.town_b.code}&amp;overdue=true"' in html


def test_no_hazard_cards_for_someone_who_sees_no_hazards(personas, monkeypatch):
    from anjian.hazards.models import Hazard

    monkeypatch.setitem(Hazard.policy, "town_supervisor", frozenset())
    personas.town_a_supervisor.forget_jurisdiction()
    client = Client()
    client.force_login(personas.town_a_supervisor)
    response = client.get(reverse("home"))
    assert response.context["hazards"] is None
    assert 'id="hazard-cards"' not in response.content.decode()
