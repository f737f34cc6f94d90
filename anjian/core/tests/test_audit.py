"""AuditEvent is append-only, and the registry's services write one per decision (architecture rule 3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from anjian.core import audit
from anjian.core.models import AuditEvent
from anjian.enterprises.models import Enterprise
from anjian.enterprises.services import child_delete, enterprise_save, licence_save
from anjian.enterprises.tests.factories import EnterpriseFactory, LicenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(personas) -> AuditEvent:
    return audit.record(
        actor=personas.town_a_supervisor, action="test.decide", obj=personas.enterprise_a, reason="原因"
    )


def test_record_is_scoped_like_its_object(personas, event):
    assert event.region_code == personas.village_a.code
    assert event.enterprise_id == personas.enterprise_a.pk
    assert event.object_id == str(personas.enterprise_a.pk)
    assert event.object_repr == personas.enterprise_a.name
    assert event.actor == personas.town_a_supervisor


def test_record_of_a_region_has_no_enterprise(personas):
    event = audit.record(actor=personas.city_admin, action="test.region", obj=personas.town_b)
    assert event.region_code == personas.town_b.code
    assert event.enterprise_id is None


def test_anonymous_actor_is_stored_as_none(personas):
    from django.contrib.auth.models import AnonymousUser

    event = audit.record(actor=AnonymousUser(), action="test.system", obj=personas.enterprise_a)
    assert event.actor is None


def test_saving_an_existing_event_is_refused(event):
    event.reason = "改写历史"
    with pytest.raises(ValidationError, match="只能追加"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == "原因"


def test_deleting_an_event_is_refused(event):
    with pytest.raises(ValidationError, match="只能追加"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_and_delete_are_refused(event):
    with pytest.raises(ValidationError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="改写历史")
    with pytest.raises(ValidationError):
        AuditEvent.objects.all().delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.restrict(event.actor, "view").update(reason="改写历史")
    assert AuditEvent.objects.get(pk=event.pk).reason == "原因"


def test_enterprise_create_and_update_write_events(personas):
    enterprise = EnterpriseFactory.build(region=personas.village_a, name="审计新建有限公司")
    enterprise_save(actor=personas.town_a_supervisor, enterprise=enterprise, reason="新登记")
    created = AuditEvent.objects.get(action="enterprise.create", object_id=str(enterprise.pk))
    assert created.reason == "新登记"
    assert created.enterprise_id == enterprise.pk

    enterprise.employee_count = 99
    enterprise_save(actor=personas.town_a_supervisor, enterprise=enterprise, reason="人数更正")
    updated = AuditEvent.objects.get(action="enterprise.update", object_id=str(enterprise.pk))
    assert updated.actor == personas.town_a_supervisor
    assert Enterprise.objects.get(pk=enterprise.pk).employee_count == 99


def test_licence_save_and_delete_write_events(personas):
    licence = LicenceFactory.build(enterprise=personas.enterprise_a)
    licence_save(actor=personas.enterprise_a_user, licence=licence)
    created = AuditEvent.objects.get(action="licence.create", object_id=str(licence.pk))
    assert created.action_label == "新建许可证"
    pk = licence.pk
    child_delete(actor=personas.city_admin, record=licence, reason="重复录入")
    # Every decision is `<entity>.<verb>`, deletes too (issue 6 item 4).
    deleted = AuditEvent.objects.get(action="licence.delete", object_id=str(pk))
    assert deleted.action_label == "删除许可证"
    assert deleted.reason == "重复录入"
    assert deleted.enterprise_id == personas.enterprise_a.pk


def test_a_refused_write_leaves_no_event(personas):
    from django.core.exceptions import PermissionDenied

    before = AuditEvent.objects.count()
    enterprise = EnterpriseFactory.build(region=personas.village_b)
    with pytest.raises(PermissionDenied):
        enterprise_save(actor=personas.town_a_supervisor, enterprise=enterprise)
    assert AuditEvent.objects.count() == before
