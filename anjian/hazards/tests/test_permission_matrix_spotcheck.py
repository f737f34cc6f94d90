"""The 待抽查 pages (issue 8 item 3) in the permission matrix: who reaches the list, its export and the random draw,
and which towns' hazards each sees. Enterprise users, grid workers and experts do not spot-check: 403 everywhere and
no menu entry. A town sees its own town's hazards only; the town-A department its domains in town A; the city all."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.core.models import AuditEvent
from anjian.core.testing.matrix import client_for
from anjian.hazards.choices import HazardStatus
from anjian.hazards.selectors_spotcheck import DRAW
from anjian.hazards.tests.factories import make_hazard

pytestmark = pytest.mark.django_db

LIST = reverse("hazards:spotcheck_list")
DRAW_URL = reverse("hazards:spotcheck_draw")
MARKER_A = "东城甲自行销号隐患"
MARKER_B = "虎门乙自行销号隐患"
# persona → (may spot-check, sees town A's hazard, sees town B's hazard)
MATRIX = {
    "city_admin": (True, True, True),
    "city_supervisor": (True, True, True),
    "town_a_supervisor": (True, True, False),
    "town_b_supervisor": (True, False, True),
    "department_a_supervisor": (True, True, False),
    "grid_worker_a": (False, False, False),
    "enterprise_a_user": (False, False, False),
    "expert_a": (False, False, False),
}


@pytest.fixture(autouse=True)
def _plain(plain_static):
    return None


@pytest.fixture
def pair(personas):
    enterprise_b_user = User.objects.create(
        username="enterprise_b_user", role=Role.ENTERPRISE_USER, enterprise=personas.enterprise_b
    )
    a = make_hazard(
        personas.enterprise_a, status=HazardStatus.CLOSED, verified_by=personas.enterprise_a_user, description=MARKER_A
    )
    b = make_hazard(
        personas.enterprise_b, status=HazardStatus.CLOSED, verified_by=enterprise_b_user, description=MARKER_B
    )
    return a, b


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_each_role_reaches_what_it_may_spot_check(personas, pair, persona):
    allowed, sees_a, sees_b = MATRIX[persona]
    client = client_for(getattr(personas, persona))

    page = client.get(LIST)
    assert page.status_code == (200 if allowed else 403)
    body = page.content.decode()
    assert (MARKER_A in body) is sees_a and (MARKER_B in body) is sees_b
    assert (LIST in client.get(reverse("home")).content.decode()) is allowed
    stats = client.get(reverse("hazards:hazard_stats"))
    assert ('data-testid="spot-check-link"' in stats.content.decode()) is allowed

    export = client.get(LIST, {"export": "xlsx"})
    assert export.status_code == (200 if allowed else 403)

    response = client.post(DRAW_URL, {"size": "1"})
    assert response.status_code == (302 if allowed else 403)
    events = AuditEvent.objects.filter(action=DRAW)
    if not allowed:
        assert not events.exists()
        return
    # Drawn from the persona's own reach only.
    drawn = set(events.get().data["ids"])
    reach = {hazard.pk for hazard, seen in zip(pair, (sees_a, sees_b), strict=True) if seen}
    assert drawn <= reach and len(drawn) == 1


def test_anonymous_is_sent_to_login(pair):
    login = reverse(settings.LOGIN_URL)
    for url, method in ((LIST, "get"), (DRAW_URL, "post"), (reverse("hazards:spotcheck_draw_detail", args=[1]), "get")):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and response["Location"].startswith(login), url
