"""Writing AuditEvents (services call `record()` inside their transaction) and naming them.

Every decision is `<entity>.<verb>` (issue 6 item 4): `enterprise.create`, `licence.update`, `archive.delete`,
`hazard.verify`. The Chinese label the audit pages show comes from the model that owns the entity: its verbose
name and the label of the verb (a standard verb, or one of the model's own `actions`), or from a label an app
registers for a decision that is not about one model's record (`register_label`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.models import AuditEvent, entity_name
from anjian.core.scope import scope_values

CREATE = "create"
UPDATE = "update"
DELETE = "delete"
# "attach"/"detach": files added to or removed from any record (anjian.core.attachments, issue 6 item 6).
# A label with "{model}" says where the record's name goes; others are followed by it ("修改许可证").
VERB_LABELS = {
    CREATE: _("新建"), UPDATE: _("修改"), DELETE: _("删除"), "attach": _("为{model}上传附件"),
    "detach": _("删除{model}的附件"),
}
# Codes written before every decision was named `<entity>.<verb>` (the log is append-only, so they stay).
LEGACY_VERBS = {"add": CREATE}

_extra_labels: dict[str, Any] = {}


def name(model: type[models.Model], verb: str) -> str:
    """The audit action of `verb` on rows of `model`, e.g. name(Enterprise, "update") == "enterprise.update"."""
    return f"{entity_name(model)}.{verb}"


def register_label(action: str, label: Any) -> None:
    """A Chinese label for a decision that is not a verb on one model (e.g. `enterprise.import`)."""
    _extra_labels[action] = label
    _entities.cache_clear()


@cache
def _entities() -> dict[str, type[models.Model]]:
    return {entity_name(model): model for model in apps.get_models() if hasattr(model, "scope")}


def action_label(action: str) -> str:
    """The Chinese label of an audit action code; the code itself when nothing names it."""
    if action in _extra_labels:
        return str(_extra_labels[action])
    entity, _dot, verb = action.partition(".")
    if not verb:
        verb, entity = entity, ""
    verb = LEGACY_VERBS.get(verb, verb)
    model = _entities().get(entity)
    own = getattr(model, "actions", {}) if model is not None else {}
    verb_label = VERB_LABELS.get(verb) or own.get(verb)
    if verb_label is None:
        return action
    if model is None:
        return str(verb_label).replace("{model}", "")
    text, model_name = str(verb_label), str(model._meta.verbose_name)
    if "{model}" in text:
        return text.replace("{model}", model_name)
    # Chinese joins the verb and the record's name directly; the English catalogue puts a space between.
    return _("%(verb)s%(model)s") % {"verb": text.strip(), "model": model_name}


def record_bulk(
    *, actor: Any, action: str, model: type[models.Model], reason: str = "", data: dict | None = None,
    summary: str | None = None,
) -> AuditEvent:
    """One AuditEvent for a decision on many rows of `model` at once (an import, a random draw): each row's change is
    in its history; this event is placed at the actor's own region, so the actor and those above read it.
    `summary` names the decision where it is not an import's counts."""
    region = getattr(actor, "region", None)
    counts = data or {}
    if summary is None:
        summary = _("%(records)s：新增 %(created)d，更新 %(updated)d") % {
            "records": model._meta.verbose_name_plural, "created": counts.get("created", 0),
            "updated": counts.get("updated", 0),
        }
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=True),
        object_id="",
        object_repr=summary[:200],
        region_code=getattr(region, "code", "") or "",
        enterprise_id=None,
        domain="",
        reason=reason,
        data=data or {},
    )


def record(*, actor: Any, action: str, obj: models.Model, reason: str = "", data: dict | None = None) -> AuditEvent:
    """Append one AuditEvent for a decision on `obj`, scoped like `obj` so the same people can read it."""
    recorded = event(actor=actor, action=action, obj=obj, reason=reason, data=data)
    recorded.save()
    return recorded


def record_many(events: Sequence[AuditEvent]) -> list[AuditEvent]:
    """Append many events built by `event` in one statement (a job deciding on hundreds of records)."""
    return AuditEvent.objects.bulk_create(events)


def event(*, actor: Any, action: str, obj: models.Model, reason: str = "", data: dict | None = None) -> AuditEvent:
    """The AuditEvent `record` appends, not yet saved."""
    values = scope_values(obj)
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        region_code=values["region_code"] or "",
        enterprise_id=values["enterprise"],
        domain=values["domain"] or "",
        reason=reason,
        data=data or {},
    )
