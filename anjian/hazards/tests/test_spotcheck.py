"""Town spot checks of the hazards enterprises closed themselves (issue 8 item 3): the 待抽查 list, the size of a
random draw, its audit record, and a spot-checked hazard leaving the list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.core.models import AuditEvent
from anjian.core.testing.matrix import client_for
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.selectors_spotcheck import DRAW, draw_size, spot_checks_pending
from anjian.hazards.services import hazard_spot_check
from anjian.hazards.services_spotcheck import spot_check_draw
from anjian.hazards.tests.factories import make_hazard

pytestmark = pytest.mark.django_db

LIST = reverse("hazards:spotcheck_list")


@pytest.fixture(autouse=True)
def _plain(plain_static):
    return None


def closed_by_enterprise(personas, count: int = 1, **fields):
    """`count` 一般隐患 of enterprise A that its own user verified and closed, one day apart (the last is newest)."""
    start = timezone.now() - dt.timedelta(days=count)
    return [
        make_hazard(
            personas.enterprise_a,
            status=HazardStatus.CLOSED,
            verified_by=personas.enterprise_a_user,
            closed_at=start + dt.timedelta(days=index),
            description=f"自行销号隐患{index}",
            **fields,
        )
        for index in range(count)
    ]


@pytest.mark.parametrize(
    ("pending", "size"),
    [
        (0, 0),
        (1, 1),
        (5, 1),
        (10, 1),
        (11, 2),
        (20, 2),
        (21, 3),
        (100, 10),
        (101, 11),
    ],
)
def test_a_draw_takes_ten_percent_rounded_up_and_at_least_one(pending, size):
    assert draw_size(pending) == size


def test_the_list_holds_only_general_hazards_the_enterprise_closed_and_nobody_checked(personas):
    older, newer = closed_by_enterprise(personas, 2)
    make_hazard(personas.enterprise_a, status=HazardStatus.CLOSED, verified_by=personas.town_a_supervisor)
    make_hazard(
        personas.enterprise_a,
        status=HazardStatus.CLOSED,
        level=HazardLevel.MAJOR,
        verified_by=personas.enterprise_a_user,
    )
    make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFIED)
    closed_by_enterprise(personas, spot_checked_at=timezone.now())
    assert list(spot_checks_pending(user=personas.town_a_supervisor)) == [newer, older]


def test_a_spot_checked_hazard_leaves_the_list(personas):
    checked, kept = closed_by_enterprise(personas, 2)
    client = client_for(personas.town_a_supervisor)
    assert "自行销号隐患0" in client.get(LIST).content.decode()
    hazard_spot_check(actor=personas.town_a_supervisor, hazard=checked, data={"spot_check_note": "现场核实已整改"})
    assert list(spot_checks_pending(user=personas.town_a_supervisor)) == [kept]
    body = client.get(LIST).content.decode()
    assert "自行销号隐患0" not in body and "自行销号隐患1" in body


def test_the_draw_is_random_within_the_list_and_audited(personas):
    hazards = closed_by_enterprise(personas, 25)
    draw = spot_check_draw(actor=personas.town_a_supervisor)
    assert len(draw.ids) == 3 and len(set(draw.ids)) == 3 and draw.pool == 25
    assert set(draw.ids) <= {hazard.pk for hazard in hazards}
    event = AuditEvent.objects.get(action=DRAW)
    assert event.actor == personas.town_a_supervisor and event.region_code == personas.town_a.code
    assert event.data == {"ids": draw.ids, "size": 3, "pool": 25}
    assert "随机抽取待抽查隐患 3 条（共 25 条）" in event.object_repr
    assert len(spot_check_draw(actor=personas.town_a_supervisor, size=7).ids) == 7


@pytest.mark.parametrize("size", [0, 26, -1])
def test_a_draw_of_an_impossible_size_is_refused_and_not_recorded(personas, size):
    closed_by_enterprise(personas, 25)
    with pytest.raises(ValidationError) as refused:
        spot_check_draw(actor=personas.town_a_supervisor, size=size)
    assert "抽取数量须在 1 到 25 之间" in str(refused.value)
    assert not AuditEvent.objects.filter(action=DRAW).exists()


def test_nothing_to_draw_and_nobody_else_draws(personas):
    with pytest.raises(ValidationError, match="当前没有待抽查的隐患"):
        spot_check_draw(actor=personas.town_a_supervisor)
    closed_by_enterprise(personas)
    for persona in ("enterprise_a_user", "grid_worker_a", "expert_a"):
        with pytest.raises(PermissionDenied):
            spot_check_draw(actor=getattr(personas, persona))
    assert not AuditEvent.objects.filter(action=DRAW).exists()


def test_the_supervisor_draws_and_opens_the_drawn_hazards_one_by_one(personas):
    closed_by_enterprise(personas, 12)
    client = client_for(personas.town_a_supervisor)
    page = client.get(LIST).content.decode()
    assert 'data-testid="spot-check-draw"' in page and 'name="size"' in page and 'value="2"' in page
    response = client.post(reverse("hazards:spotcheck_draw"), {"size": "2"})
    event = AuditEvent.objects.get(action=DRAW)
    assert response.status_code == 302 and response["Location"] == reverse(
        "hazards:spotcheck_draw_detail", args=[event.pk]
    )
    page = client.get(response["Location"]).content.decode()
    first, second = event.data["ids"]
    for pk in (first, second):
        assert reverse("hazards:hazard_action", args=[pk, "spot_check"]) in page
    assert page.count('data-testid="drawn-hazard"') == 2 and "从 12 条待抽查隐患中随机抽取 2 条；已抽查 0 条" in page
    # The first one checked through its action page: the draw shows it done, the list no longer holds it.
    action = client.post(
        reverse("hazards:hazard_action", args=[first, "spot_check"]), {"spot_check_note": "现场核实整改到位"}
    )
    assert action.status_code == 302, action.content.decode()[:2000]
    page = client.get(reverse("hazards:spotcheck_draw_detail", args=[event.pk])).content.decode()
    assert page.count('data-testid="spot-checked"') == 1 and "已抽查 1 条" in page
    assert spot_checks_pending(user=personas.town_a_supervisor).count() == 11
    # A draw is its maker's: another supervisor, even the city's, is answered as for a missing one.
    assert (
        client_for(personas.city_supervisor).get(reverse("hazards:spotcheck_draw_detail", args=[event.pk])).status_code
        == 404
    )


def test_a_refused_draw_goes_back_to_the_list_with_the_reason(personas):
    closed_by_enterprise(personas, 3)
    client = client_for(personas.town_a_supervisor)
    response = client.post(reverse("hazards:spotcheck_draw"), {"size": "9"}, follow=True)
    assert "抽取数量须在 1 到 3 之间" in response.content.decode()
    response = client.post(reverse("hazards:spotcheck_draw"), {"size": "abc"}, follow=True)
    assert "输入整数。" in response.content.decode()
    assert not AuditEvent.objects.filter(action=DRAW).exists()
    assert client.get(reverse("hazards:spotcheck_draw")).status_code == 405


def test_an_enterprise_closure_by_another_enterprise_is_pending_in_its_own_town_only(personas):
    other = User.objects.create(
        username="enterprise_b_user", role=Role.ENTERPRISE_USER, enterprise=personas.enterprise_b
    )
    hazard = make_hazard(personas.enterprise_b, status=HazardStatus.CLOSED, verified_by=other)
    assert list(spot_checks_pending(user=personas.town_b_supervisor)) == [hazard]
    assert not spot_checks_pending(user=personas.town_a_supervisor).exists()
