"""Writing AuditEvents: services call `record()` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from anjian.core.models import AuditEvent


def _resolve(obj: models.Model, path: str | None) -> Any:
    if not path:
        return None
    value: Any = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part, None)
    return value


def record(*, actor: Any, action: str, obj: models.Model, reason: str = "", data: dict | None = None) -> AuditEvent:
    """Append one AuditEvent for a decision on `obj`, scoped like `obj` so the same people can read it."""
    scope = type(obj).scope
    region_code = _resolve(obj, scope.region_code) or ""
    enterprise_id = _resolve(obj, scope.enterprise)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        region_code=str(region_code),
        enterprise_id=int(enterprise_id) if enterprise_id is not None else None,
        reason=reason,
        data=data or {},
    )
