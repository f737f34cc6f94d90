"""The notifications' permission matrix (issue 6, "Must show": the matrix covers every surface of notifications).

A notification belongs to one person, whatever the role (Scope(owner=...)): so the matrix is not town A against
town B but every persona against every other persona. Each persona has one notification; on every surface (the
inbox page, opening one, marking one read, the API list, detail and read action) each persona sees and touches its
own and gets 404 for every other's, which stays unread. The city administrator is no exception.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from anjian.core.testing.matrix import api_list_text, client_for, page_text
from anjian.notifications.models import Notification

pytestmark = pytest.mark.django_db

PERSONAS = (
    "city_admin", "city_supervisor", "town_a_supervisor", "town_b_supervisor", "grid_worker_a",
    "enterprise_a_user", "expert_a", "department_a_supervisor",
)


@pytest.fixture
def inboxes(personas) -> dict[str, Notification]:
    return {
        name: Notification.objects.create(
            recipient=getattr(personas, name), kind="licence.expiring", title=f"给{name}的通知",
            text=f"只属于{name}的通知内容", url="/",
        )
        for name in PERSONAS
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_person_reaches_only_its_own_notification(personas, inboxes, persona):
    client = client_for(getattr(personas, persona))
    mine = inboxes[persona]
    others = [notification for name, notification in inboxes.items() if name != persona]

    inbox = page_text(client.get(reverse("notifications:inbox")))
    api = api_list_text(client, "notifications")
    assert mine.title in inbox and mine.title in api
    for other in others:
        assert other.title not in inbox and other.text not in inbox, other.title
        assert other.title not in api, other.title
        assert client.get(reverse("notifications:open", args=[other.pk])).status_code == 404
        assert client.post(reverse("notifications:read", args=[other.pk])).status_code == 404
        assert client.get(f"/api/v1/notifications/{other.pk}/").status_code == 404
        assert client.post(f"/api/v1/notifications/{other.pk}/read/", json.dumps({}),
                           content_type="application/json").status_code == 404
    # Marking all read marks one's own only.
    client.post(reverse("notifications:read_all"))
    client.post("/api/v1/notifications/read-all/", json.dumps({}), content_type="application/json")
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert all(Notification.objects.get(pk=other.pk).read_at is None for other in others)


def test_anonymous_reaches_no_notification(client, inboxes):
    any_one = next(iter(inboxes.values()))
    for url in (reverse("notifications:inbox"), reverse("notifications:open", args=[any_one.pk]),
                reverse("notifications:preferences")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.get("/api/v1/notifications/").status_code in (401, 403)
    assert client.post(f"/api/v1/notifications/{any_one.pk}/read/").status_code in (401, 403)
    assert Notification.objects.get(pk=any_one.pk).read_at is None
