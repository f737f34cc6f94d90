"""The overdue ladder's pages (issue 8 item 5) in the permission matrix: who reads, adds, changes and exports the
city's LadderStep rows. The rows are shared (not on the jurisdiction tree), so the town A / town B matrix of
anjian.core.testing.matrix does not apply; each role is asked every surface instead."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from anjian.core.testing.browser import use_plain_static
from anjian.hazards.ladder import load_ladder
from anjian.hazards.models import LadderStep

pytestmark = pytest.mark.django_db

# persona → (sees the rows, may add, may change, may export)
MATRIX = {
    "city_admin": (True, True, True, True),
    "city_supervisor": (True, False, True, False),
    "town_a_supervisor": (True, False, False, False),
    "department_a_supervisor": (True, False, False, False),
    "grid_worker_a": (False, False, False, False),
    "enterprise_a_user": (False, False, False, False),
    "expert_a": (False, False, False, False),
}
NEW_STEP = {"kind": "escalation", "days": "14", "roles": ["city_admin"], "level_label": "市政府", "active": "on"}


@pytest.fixture(autouse=True)
def _plain_static(settings):
    use_plain_static(settings)


@pytest.fixture
def ladder(db) -> LadderStep:
    load_ladder()
    return LadderStep.objects.get(kind="escalation", days=3)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def snapshot() -> list[tuple]:
    return list(LadderStep.objects.order_by("kind", "days").values_list("kind", "days", "roles", "level_label",
                                                                          "active"))


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_each_role_reaches_what_its_policy_says(personas, ladder, persona):
    sees, adds, changes, exports = MATRIX[persona]
    user = getattr(personas, persona)
    client = client_for(user)
    before = snapshot()

    page = client.get(reverse("hazards:ladderstep_list"))
    assert page.status_code == 200
    assert ("镇街" in page.content.decode()) is sees
    nav = client.get(reverse("home")).content.decode()
    assert (reverse("hazards:ladderstep_list") in nav) is sees

    response = client.get(reverse("hazards:ladderstep_list"), {"export": "xlsx"})
    assert response.status_code == (200 if exports else 403)

    add = reverse("hazards:ladderstep_add")
    assert client.get(add).status_code == (200 if adds else 403)
    response = client.post(add, NEW_STEP)
    assert response.status_code == (302 if adds else 403)
    assert LadderStep.objects.filter(days=14).exists() is adds

    edit = reverse("hazards:ladderstep_edit", args=[ladder.pk])
    assert client.get(edit).status_code == (200 if changes else 404)
    changed = {"kind": "escalation", "days": "3", "roles": ["town_supervisor"], "level_label": "镇街"}  # 启用 unticked
    response = client.post(edit, changed)
    assert response.status_code == (302 if changes else 404)
    ladder.refresh_from_db()
    assert ladder.active is not changes
    if not adds and not changes:
        assert snapshot() == before


def test_anonymous_is_sent_to_login(ladder):
    client = Client()
    login = reverse(settings.LOGIN_URL)
    for url in (reverse("hazards:ladderstep_list"), reverse("hazards:ladderstep_add"),
                reverse("hazards:ladderstep_edit", args=[ladder.pk])):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302 and response["Location"].startswith(login), (method, url)


def test_the_list_says_when_and_to_whom(personas, ladder):
    html = client_for(personas.city_admin).get(reverse("hazards:ladderstep_list")).content.decode()
    for text in ("整改期限前 3 天", "整改期限当天", "逾期 7 天", "企业安全管理人员、村（社区）网格员", "市级监管人员"):
        assert text in html


@pytest.mark.parametrize(("data", "message"), [
    ({**NEW_STEP, "roles": []}, "该字段是必填项。"),
    ({**NEW_STEP, "kind": "reminder", "days": "0"}, "到期前提醒的天数须大于 0"),
    ({**NEW_STEP, "days": "3"}, "已有同类型、同天数的规则。"),
    ({**NEW_STEP, "days": "-1"}, "确保该值大于或等于0。"),
    ({**NEW_STEP, "days": "100000"}, "天数不能超过 365 天。"),
    ({**NEW_STEP, "roles": ["superuser"]}, "选择一个有效的选项"),
])
def test_bad_steps_are_refused_with_a_reason_and_change_nothing(personas, ladder, data, message):
    before = snapshot()
    response = client_for(personas.city_admin).post(reverse("hazards:ladderstep_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before
