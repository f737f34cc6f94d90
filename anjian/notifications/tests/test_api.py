"""`/api/v1/notifications/` (issue 6 item 5): the caller's own notifications, newest first, `?unread=true`, and
`POST <id>/read/`; another person's answers 404."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.notifications.models import Notification

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"


def note(user, title: str, *, read: bool = False) -> Notification:
    return Notification.objects.create(recipient=user, kind="insurance.expiring", title=title, text=f"{title}。",
                                       url="/enterprises/1/", read_at=timezone.now() if read else None)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_is_the_callers_own_newest_first(personas):
    first = note(personas.enterprise_a_user, "较早", read=True)
    second = note(personas.enterprise_a_user, "较新")
    note(personas.town_a_supervisor, "镇街的")
    body = api(personas.enterprise_a_user).get(LIST).json()
    assert [row["id"] for row in body["results"]] == [second.pk, first.pk]
    row = body["results"][0]
    assert {"id", "kind", "text", "url", "created", "read"} <= set(row)
    assert row["kind"] == "insurance.expiring" and row["text"] == "较新。" and row["read"] is False
    assert body["results"][1]["read"] is True
    unread = api(personas.enterprise_a_user).get(LIST, {"unread": "true"}).json()
    assert [row["id"] for row in unread["results"]] == [second.pk]


def test_mark_read(personas):
    notification = note(personas.enterprise_a_user, "未读")
    response = api(personas.enterprise_a_user).post(f"{LIST}{notification.pk}/read/")
    assert response.status_code == 200 and response.json()["read"] is True
    notification.refresh_from_db()
    read_at = notification.read_at
    assert read_at is not None
    # Again: still read, the first time kept.
    api(personas.enterprise_a_user).post(f"{LIST}{notification.pk}/read/")
    notification.refresh_from_db()
    assert notification.read_at == read_at


def test_another_persons_notification_is_404(personas):
    theirs = note(personas.town_b_supervisor, "虎门的")
    client = api(personas.city_admin)
    assert client.get(f"{LIST}{theirs.pk}/").status_code == 404
    response = client.post(f"{LIST}{theirs.pk}/read/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "记录不存在。", "fields": {}}
    assert client.post(f"{LIST}99999999999999999999999/read/").status_code == 404
    assert client.post(f"{LIST}read-all/").json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(personas):
    for n in range(3):
        note(personas.grid_worker_a, f"通知{n}")
    assert api(personas.grid_worker_a).post(f"{LIST}read-all/").json() == {"marked": 3}


def test_anonymous_callers_are_refused(db):
    response = APIClient().get(LIST)
    assert response.status_code in (401, 403)
