"""Fixtures shared by the kit's tests on the hot-work permit (anjian/core/tests/kitapp)."""

from __future__ import annotations

import pytest

from anjian.core import notices
from anjian.core.tests.kitapp.models import WorkPermit


@pytest.fixture
def sent(monkeypatch):
    """The notices handed over after commit, recorded instead of delivered."""
    recorded: list[dict] = []
    monkeypatch.setattr(notices, "_sender", lambda **kwargs: recorded.append(kwargs))
    return recorded


@pytest.fixture
def permit(personas) -> WorkPermit:
    return WorkPermit.objects.create(enterprise=personas.enterprise_a, title="储罐区动火作业")
