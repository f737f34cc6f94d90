"""An administrator edits a template's wording in the admin; loading reference data keeps that edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.accounts.models import User
from anjian.core.testing.browser import use_plain_static
from anjian.notifications.models import NotificationTemplate
from anjian.notifications.reference import load_templates

pytestmark = pytest.mark.django_db


def test_an_edit_in_the_admin_is_marked_customized_and_survives_loading(client, templates, settings):
    use_plain_static(settings)
    admin = User.objects.create_superuser("root", "root@example.cn", "Root-2026-anjian")
    client.force_login(admin)
    template = NotificationTemplate.objects.get(kind="licence.expiring")
    url = reverse("admin:notifications_notificationtemplate_change", args=[template.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": template.kind, "title": "许可证到期提醒：{{ enterprise }}",
                                 "body": template.body, "channels": ["email"]})
    assert response.status_code == 302
    load_templates()
    template.refresh_from_db()
    assert template.customized and template.channels == ["email"]
    assert template.title == "许可证到期提醒：{{ enterprise }}"
    # A template that does not compile is refused on the form.
    response = client.post(url, {"kind": template.kind, "title": "{% if %}", "body": template.body})
    assert response.status_code == 200 and "模板语法错误" in response.content.decode()
