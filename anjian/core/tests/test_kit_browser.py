"""Browser test of the module kit's journey (issue 6): a workflow record moved through its actions by the people the
policy names, each told by a notification, in Chromium through Playwright against a live server.

The enterprise's safety manager, on a phone, submits a hot-work permit (a workflow model that exists only in tests,
anjian/core/tests/kitapp); the town supervisor sees the bell's count, opens the notification, tries to send the
permit back without a reason (refused in Chinese), then with one; the enterprise resubmits, the supervisor
approves with a date, and the enterprise closes it with a photo as evidence. Screenshots go to /tmp/anjian-shots/
(ANJIAN_SHOTS_DIR) for a person to look at.

Run: .venv/bin/python -m pytest -m browser anjian/core/tests/test_kit_browser.py
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from anjian.core.models import AuditEvent
from anjian.core.testing.browser import login, shot
from anjian.core.testing.personas import PASSWORD
from anjian.core.tests.kitapp.models import PermitState, WorkPermit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


KIT_TEMPLATES = {
    "permit.submitted": ("作业许可待审批：{{ object }}", "{{ actor }} 提交了作业许可“{{ object }}”，请审批。"),
    "permit.approved": ("作业许可已批准：{{ object }}", "作业许可“{{ object }}”已由 {{ actor }} 批准。"),
    "permit.rejected": ("作业许可被退回：{{ object }}", "作业许可“{{ object }}”被 {{ actor }} 退回，请修改后提交。"),
}


@pytest.fixture
def browse(browse, settings, tmp_path):
    """The kit's `browse`, with media in the test's directory and the test module's notification texts."""
    from anjian.notifications.models import NotificationTemplate

    settings.MEDIA_ROOT = tmp_path / "media"
    # The test module's notification texts, as a module ships them in its reference data.
    for kind, (title, body) in KIT_TEMPLATES.items():
        NotificationTemplate.objects.create(kind=kind, title=title, body=body)
    return browse


def photo(tmp_path) -> str:
    path = tmp_path / "现场照片.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def act(page, label: str) -> None:
    page.locator("[data-testid=object-actions]").get_by_role("link", name=label).click()
    page.wait_for_load_state()


def confirm(page) -> None:
    page.locator("#action-form button[type=submit]").click()
    page.wait_for_load_state()


def state_of(page) -> str:
    return page.locator("[data-testid=object-state]").first.inner_text().strip()


def test_a_permit_through_its_workflow(live_server, browse, personas, tmp_path):
    p = personas
    permit = WorkPermit.objects.create(enterprise=p.enterprise_a, title="储罐区动火作业")
    detail = f"{live_server.url}/kit/{permit.pk}/"

    # The enterprise's safety manager, on a phone: only its own action is offered.
    phone = browse(PHONE)
    login(phone, live_server.url, p.enterprise_a_user.username, PASSWORD)
    phone.goto(detail)
    assert state_of(phone) == "草稿"
    actions = phone.locator("[data-testid=object-actions]").inner_text()
    assert "提交" in actions and "批准" not in actions
    shot(phone, "kit-01-phone-draft")
    act(phone, "提交")
    phone.fill("#id_reason", "动火作业票已签字")
    shot(phone, "kit-02-phone-submit-form")
    confirm(phone)
    assert state_of(phone) == "已提交"
    assert "已对“储罐区动火作业”执行“提交”" in phone.locator(".anjian-messages").inner_text()
    shot(phone, "kit-03-phone-submitted")

    # The town supervisor: the bell counts the notification, which leads to the permit.
    desk = browse(DESKTOP)
    login(desk, live_server.url, p.town_a_supervisor.username, PASSWORD)
    bell = desk.locator("[data-testid=notification-bell]")
    assert bell.inner_text().strip().endswith("1"), bell.inner_text()
    shot(desk, "kit-04-bell")
    bell.click()
    desk.wait_for_load_state()
    assert "提交了作业许可“储罐区动火作业”，请审批" in desk.locator("body").inner_text()
    shot(desk, "kit-05-inbox")
    desk.get_by_role("link", name="作业许可待审批：储罐区动火作业").first.click()
    desk.wait_for_load_state()
    assert desk.url.rstrip("/").endswith(f"/kit/{permit.pk}")

    # Sending it back needs a reason: refused in Chinese, nothing changed; then done with one.
    act(desk, "退回")
    confirm(desk)
    assert "该字段是必填项" in desk.locator("#form-error-summary").inner_text()
    shot(desk, "kit-06-reason-required")
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.SUBMITTED
    desk.fill("#id_reason", "动火人员特种作业证已过期")
    confirm(desk)
    assert state_of(desk) == "已退回"
    audit = desk.locator("#audit-events").inner_text()
    assert "退回作业许可" in audit and "动火人员特种作业证已过期" in audit
    shot(desk, "kit-07-rejected")

    # The enterprise resubmits; the supervisor approves with the permit's end date.
    phone.goto(detail)
    act(phone, "提交")
    confirm(phone)
    desk.goto(detail)
    act(desk, "批准")
    desk.fill("#id_valid_until", "2027-03-01")
    confirm(desk)
    assert state_of(desk) == "已批准"

    # Closing needs a photo of the site as evidence; it shows on the record with the panel's thumbnail.
    phone.goto(detail)
    act(phone, "关闭")
    confirm(phone)
    assert "至少需要上传 1 个附件" in phone.locator("#form-error-summary").inner_text()
    phone.set_input_files("#id_attachments", photo(tmp_path))
    shot(phone, "kit-08-phone-close-with-photo")
    confirm(phone)
    assert state_of(phone) == "已关闭"
    assert "现场照片.jpg" in phone.locator("body").inner_text()
    shot(phone, "kit-09-phone-closed")
    stored = WorkPermit.objects.get(pk=permit.pk)
    assert stored.state == PermitState.CLOSED and str(stored.valid_until) == "2027-03-01"
    assert stored.approved_by == p.town_a_supervisor
    assert list(AuditEvent.objects.filter(object_id=str(permit.pk)).order_by("id").values_list("action", flat=True)) \
        == ["workpermit.submit", "workpermit.reject", "workpermit.submit", "workpermit.approve", "workpermit.close"]
