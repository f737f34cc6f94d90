"""Helpers for tests of the hot-work permit."""

from __future__ import annotations

from anjian.core.tests.kitapp.models import PermitState, WorkPermit


def submitted(permit: WorkPermit) -> WorkPermit:
    """The permit moved to 已提交 behind the workflow's back, read again with its place on the tree."""
    WorkPermit.objects.filter(pk=permit.pk).update(state=PermitState.SUBMITTED)
    return WorkPermit.objects.select_related("enterprise__region").get(pk=permit.pk)
