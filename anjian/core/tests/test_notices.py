"""Notices handed over after commit (anjian.core.notices): many records' notices at once, as a job sends them."""

from __future__ import annotations

import pytest
from django.db import transaction

from anjian.core import notices
from anjian.core.notices import Notice, send_many_on_commit
from anjian.core.tests.kitapp.models import WorkPermit

pytestmark = pytest.mark.django_db


def test_many_records_are_told_after_commit_and_one_failure_keeps_the_others(personas, monkeypatch,
                                                                              django_capture_on_commit_callbacks):
    permits = [WorkPermit.objects.create(enterprise=personas.enterprise_a, title=f"动火作业{n}") for n in range(3)]
    delivered: list[int] = []

    def sender(*, actor, obj, notices, url):
        if obj.pk == permits[1].pk:
            raise RuntimeError("gateway down")
        delivered.append(obj.pk)
        assert transaction.get_connection().in_atomic_block  # one transaction for the batch

    monkeypatch.setattr(notices, "_sender", sender)
    monkeypatch.setattr(notices, "_many_sender", None)
    told = [(permit, [Notice("permit.submitted", roles=("town_supervisor",))], permit.get_absolute_url())
            for permit in permits]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        send_many_on_commit(actor=None, items=[*told, (permits[0], [], "")])
        assert delivered == []  # nothing before the commit
    assert len(callbacks) == 1
    assert delivered == [permits[0].pk, permits[2].pk]


def test_a_rolled_back_batch_tells_nobody(personas, monkeypatch, django_capture_on_commit_callbacks):
    permit = WorkPermit.objects.create(enterprise=personas.enterprise_a, title="动火作业")
    delivered: list[int] = []
    monkeypatch.setattr(notices, "_sender", lambda **kwargs: delivered.append(kwargs["obj"].pk))
    monkeypatch.setattr(notices, "_many_sender",
                        lambda **kwargs: delivered.extend(obj.pk for obj, *_ in kwargs["items"]))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send_many_on_commit(actor=None, items=[(permit, [Notice("permit.submitted")], "")])
        raise RuntimeError("rolled back")
    assert delivered == []


def test_the_batch_sender_takes_them_together_and_a_failing_batch_goes_one_by_one(
        personas, monkeypatch, django_capture_on_commit_callbacks):
    permits = [WorkPermit.objects.create(enterprise=personas.enterprise_a, title=f"动火作业{n}") for n in range(2)]
    batches: list[list[int]] = []
    one_by_one: list[int] = []
    monkeypatch.setattr(notices, "_sender", lambda **kwargs: one_by_one.append(kwargs["obj"].pk))
    monkeypatch.setattr(notices, "_many_sender",
                        lambda **kwargs: batches.append([obj.pk for obj, *_ in kwargs["items"]]))
    told = [(permit, [Notice("permit.submitted")], "") for permit in permits]
    with django_capture_on_commit_callbacks(execute=True):
        send_many_on_commit(actor=None, items=told)
    assert batches == [[permit.pk for permit in permits]] and one_by_one == []

    def broken(**kwargs):
        raise RuntimeError("batch failed")

    monkeypatch.setattr(notices, "_many_sender", broken)
    with django_capture_on_commit_callbacks(execute=True):
        send_many_on_commit(actor=None, items=told)
    assert one_by_one == [permit.pk for permit in permits]
