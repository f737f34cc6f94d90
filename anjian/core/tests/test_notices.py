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
    told = [(permit, [Notice("permit.submitted", roles=("town_supervisor",))], permit.get_absolute_url())
            for permit in permits]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            send_many_on_commit(actor=None, items=[*told, (permits[0], [], "")])
            assert delivered == []  # nothing before the commit
    assert len(callbacks) == 1
    assert delivered == [permits[0].pk, permits[2].pk]


def test_a_rolled_back_batch_tells_nobody(personas, monkeypatch, django_capture_on_commit_callbacks):
    permit = WorkPermit.objects.create(enterprise=personas.enterprise_a, title="动火作业")
    delivered: list[int] = []
    monkeypatch.setattr(notices, "_sender", lambda **kwargs: delivered.append(kwargs["obj"].pk))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            send_many_on_commit(actor=None, items=[(permit, [Notice("permit.submitted")], "")])
            raise RuntimeError("rolled back")
    assert delivered == []
