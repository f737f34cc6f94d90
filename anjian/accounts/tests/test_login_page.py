"""The login page speaks of logging in (issue 7 item 7: its error said “请更正以下错误后再保存”; nothing is saved)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.accounts.models import User
from anjian.core.testing.browser import use_plain_static

pytestmark = pytest.mark.django_db


def test_a_wrong_password_is_reported_as_a_failed_login_not_a_save(client, settings):
    use_plain_static(settings)
    User.objects.create_user(username="inspector", password="Anjian-test-2026")
    page = client.post(reverse("login"), {"username": "inspector", "password": "wrong"}).content.decode()
    assert "未能登录" in page
    assert "保存" not in page
