"""Writing notifications (issue 6 item 5, "Must show"): only after commit, none on rollback, once per key; templates
are data; a failure to notify never undoes the decision."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import transaction

from anjian.core.notices import Notice
from anjian.enterprises.models import Licence
from anjian.notifications import services
from anjian.notifications.models import Notification, NotificationTemplate
from anjian.notifications.reference import load_templates, packaged_templates
from anjian.notifications.services import deliver_notices, notify
from anjian.notifications.tests.support import expiry_notice

pytestmark = pytest.mark.django_db


class Refused(Exception):
    pass


def renew(licence: Licence, *, actor, fail: bool = False) -> None:
    """A service in miniature: change a record and notify, in one transaction."""
    with transaction.atomic():
        licence.valid_to = dt.date(2029, 1, 1)
        licence.save()
        notify(actor=actor, obj=licence, notices=[expiry_notice(licence, key="renewed")], url="/enterprises/1/")
        # Inside the transaction nobody has been told yet.
        assert not Notification.objects.exists()
        if fail:
            raise Refused


def test_notifications_are_written_only_after_commit(personas, licence_a, templates,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        renew(licence_a, actor=personas.city_supervisor)
    assert len(callbacks) == 1
    rows = Notification.objects.order_by("recipient__username")
    assert [row.recipient.username for row in rows] == ["enterprise_a_user", "town_a_supervisor"]
    row = rows[0]
    assert row.kind == "licence.expiring" and row.url == "/enterprises/1/" and row.read_at is None
    assert row.content_type.model == "licence" and row.object_id == str(licence_a.pk)
    assert row.title == f"许可证即将到期：{personas.enterprise_a.name}"
    assert "将于2029年1月1日到期，还剩12天" in row.text


def test_nothing_is_written_when_the_transaction_rolls_back(personas, licence_a, templates,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Refused):
        renew(licence_a, actor=personas.city_supervisor, fail=True)
    assert callbacks == []
    assert not Notification.objects.exists()
    assert Licence.objects.get(pk=licence_a.pk).valid_to == dt.date(2026, 3, 1)


def test_a_failing_sender_never_undoes_the_decision(personas, licence_a, monkeypatch, caplog,
                                                     django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise RuntimeError("recipient lookup failed")

    monkeypatch.setattr(services, "recipients_by_record", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        renew(licence_a, actor=personas.city_supervisor)
    assert Licence.objects.get(pk=licence_a.pk).valid_to == dt.date(2029, 1, 1)
    assert not Notification.objects.exists()
    assert "recipient lookup failed" in caplog.text


def test_a_key_reaches_each_person_once(personas, licence_a, templates):
    notice = expiry_notice(licence_a, key=f"licence:{licence_a.pk}:2026-03-01")
    first = deliver_notices(actor=None, obj=licence_a, notices=[notice, notice])
    again = deliver_notices(actor=None, obj=licence_a, notices=[notice])
    assert len(first) == 2 and again == []
    assert Notification.objects.count() == 2
    # A new validity is a new key: told again.
    renewed = expiry_notice(licence_a, key=f"licence:{licence_a.pk}:2027-03-01")
    assert len(deliver_notices(actor=None, obj=licence_a, notices=[renewed])) == 2
    # Without a key, every notice is written.
    assert len(deliver_notices(actor=None, obj=licence_a, notices=[expiry_notice(licence_a)])) == 2
    assert Notification.objects.count() == 6


def test_a_key_written_meanwhile_by_another_sender_is_left_out(personas, licence_a):
    def row(user) -> Notification:
        return Notification(recipient=user, kind="licence.expiring", title="t", text="x", key="race")

    services._insert([row(personas.town_a_supervisor)])
    # The other sender's row for the town supervisor came after this sender's check: the constraint decides.
    created = services._insert([row(personas.town_a_supervisor), row(personas.enterprise_a_user)])
    assert [notification.recipient for notification in created] == [personas.enterprise_a_user]
    assert Notification.objects.filter(key="race").count() == 2


def test_an_unknown_kind_gets_a_generic_text(personas, licence_a, caplog):
    with caplog.at_level(logging.WARNING):
        [row, _other] = deliver_notices(actor=None, obj=licence_a, notices=[
            Notice("hazard.reported", roles=("town_supervisor", "enterprise_user"))])
    # The person reads Chinese; the kind's code is in the log for whoever adds its template.
    assert row.title == "新的通知"
    assert row.text == f"关于“{licence_a}”有一条新的通知。"
    assert "hazard.reported" in caplog.text


def test_a_template_that_fails_to_render_gets_a_generic_text(personas, licence_a, caplog):
    # Saved past the form's validation (e.g. straight into the database).
    NotificationTemplate.objects.create(kind="licence.expiring", title="{% broken %}", body="正文")
    with caplog.at_level(logging.ERROR):
        rows = deliver_notices(actor=None, obj=licence_a, notices=[expiry_notice(licence_a)])
    assert {row.title for row in rows} == {"新的通知"}
    assert "failed to render" in caplog.text


def test_templates_are_data_and_an_administrators_edit_survives_loading(db):
    # Every module appends its kinds to the packaged file (the hazards app its reminders, issue 8).
    assert load_templates() == len(packaged_templates()) == NotificationTemplate.objects.count()
    assert {"licence.expiring", "insurance.expiring", "archive.expiring", "hazard.reported", "hazard.reminder",
            "hazard.escalated", "publicreport.received"} <= set(
        NotificationTemplate.objects.values_list("kind", flat=True))
    template = NotificationTemplate.objects.get(kind="insurance.expiring")
    assert template.channels == ["email", "sms"]
    assert "安责险" in template.title
    NotificationTemplate.objects.filter(kind="insurance.expiring").update(title="改过的标题", customized=True)
    NotificationTemplate.objects.filter(kind="licence.expiring").update(title="会被恢复")
    load_templates()
    assert NotificationTemplate.objects.get(kind="insurance.expiring").title == "改过的标题"
    assert NotificationTemplate.objects.get(kind="licence.expiring").title != "会被恢复"


def test_a_template_that_does_not_compile_is_refused_in_chinese(db):
    from django.core.exceptions import ValidationError

    template = NotificationTemplate(kind="x.y", title="{% if %}", body="正文", channels=["fax"])
    with pytest.raises(ValidationError) as caught:
        template.full_clean()
    assert "模板语法错误" in str(caught.value.message_dict["title"])
    assert "未知的渠道：fax" in str(caught.value.message_dict["channels"])


def test_stored_texts_are_in_the_sites_language_whatever_the_actor_reads(personas, licence_a):
    from django.utils import translation

    with translation.override("en"):
        [row, _other] = deliver_notices(actor=None, obj=licence_a, notices=[
            Notice("hazard.reported", roles=("town_supervisor", "enterprise_user"))])
    assert row.text == f"关于“{licence_a}”有一条新的通知。"
