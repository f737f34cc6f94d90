"""The inbox, the header's bell and the preferences page (issue 6 item 5): a person sees and marks only their own
notifications; another's answers 404 like a missing one."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.core.testing.browser import use_plain_static
from anjian.notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static(settings):
    use_plain_static(settings)


def note(user, title: str, *, url: str = "/enterprises/", read: bool = False) -> Notification:
    from django.utils import timezone

    return Notification.objects.create(recipient=user, kind="licence.expiring", title=title, text=f"{title}的内容",
                                       url=url, read_at=timezone.now() if read else None)


def bell_count(html: str) -> str | None:
    match = re.search(r'data-testid="unread-count">([^<]+)<', html)
    return match.group(1) if match else None


def test_the_inbox_lists_ones_own_notifications_unread_first(client, personas):
    user = personas.town_a_supervisor
    old_unread = note(user, "较早的未读通知")
    note(user, "已读的通知", read=True)
    note(user, "最新的未读通知")
    note(personas.town_b_supervisor, "虎门的通知")
    client.force_login(user)
    html = client.get(reverse("notifications:inbox")).content.decode()
    titles = re.findall(r'class="link-body-emphasis">([^<]+)<', html)
    assert titles == ["最新的未读通知", "较早的未读通知", "已读的通知"]
    assert "虎门的通知" not in html
    assert bell_count(html) == "2"
    assert reverse("notifications:open", args=[old_unread.pk]) in html
    unread = client.get(reverse("notifications:inbox") + "?unread=true").content.decode()
    assert "已读的通知" not in unread and "最新的未读通知" in unread


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, personas):
    notification = note(personas.enterprise_a_user, "许可证即将到期", url=f"/enterprises/{personas.enterprise_a.pk}/")
    client.force_login(personas.enterprise_a_user)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response.url == notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_link_off_the_site_is_not_followed(client, personas):
    notification = note(personas.enterprise_a_user, "外部链接", url="//evil.example/phish")
    client.force_login(personas.enterprise_a_user)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.url == reverse("notifications:inbox")


def test_another_persons_notification_answers_404_and_stays_unread(client, personas):
    theirs = note(personas.town_b_supervisor, "虎门的通知")
    client.force_login(personas.city_admin)  # even the city administrator
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_one_and_mark_all_read(client, personas):
    user = personas.grid_worker_a
    first, second, third = (note(user, f"通知{n}") for n in range(3))
    client.force_login(user)
    response = client.post(reverse("notifications:read", args=[first.pk]), {"next": "/notifications/?page=1"})
    assert response.status_code == 302 and response.url == "/notifications/?page=1"
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 2
    # A link off the site is no place to return to.
    response = client.post(reverse("notifications:read", args=[second.pk]), {"next": "https://evil.example/"})
    assert response.url == reverse("notifications:inbox")
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_marking_read_needs_the_csrf_token(personas):
    from django.test import Client

    notification = note(personas.grid_worker_a, "通知")
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.grid_worker_a)
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 403


def test_the_header_bell_counts_unread_with_one_query(client, personas):
    user = personas.town_a_supervisor
    client.force_login(user)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert 'data-testid="notification-bell"' in html and bell_count(html) is None
    for n in range(3):
        note(user, f"通知{n}")
    note(user, "已读", read=True)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("notifications:preferences")).content.decode()
    assert bell_count(html) == "3"
    counts = [query["sql"] for query in queries if 'FROM "notifications_notification"' in query["sql"]]
    assert len(counts) == 1 and "COUNT(" in counts[0]
    Notification.objects.bulk_create([Notification(recipient=user, kind="k", title="t", text="x")
                                      for _ in range(120)])
    assert bell_count(client.get(reverse("home")).content.decode()) == "99+"


def test_the_preferences_page_shows_the_addresses_and_switches_channels(client, personas):
    user = personas.enterprise_a_user
    user.email, user.phone = "anquan@example.cn", "13800138000"
    user.save()
    client.force_login(user)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "138****8000" in html and "13800138000" not in html
    assert "anquan@example.cn" in html
    assert "本系统未开通该渠道" in html
    response = client.post(reverse("notifications:preferences"), {"email": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=user)
    assert preference.email and not preference.sms
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert re.search(r'name="email"[^>]*checked', html) and not re.search(r'name="sms"[^>]*checked', html)


def test_the_inbox_in_the_sidebar_for_every_role(client, personas):
    for name in ("city_admin", "grid_worker_a", "enterprise_a_user", "expert_a"):
        client.force_login(getattr(personas, name))
        html = client.get(reverse("notifications:inbox")).content.decode()
        assert f'href="{reverse("notifications:inbox")}"' in html, name
        assert "暂无通知" in html


def test_the_inbox_in_english(client, personas, settings):
    note(personas.enterprise_a_user, "许可证即将到期")
    client.force_login(personas.enterprise_a_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "Mark all read" in html and "Notification settings" in html
    assert 'aria-label="Notifications (1 unread)"' in html
    assert "许可证即将到期" in html  # the notification's own text is data, kept as written
