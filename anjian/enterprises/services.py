"""Writes to the registry. UI views, API views, imports and commands all call these (architecture rule 3)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from anjian.accounts.roles import Role
from anjian.core.services import scoped_delete, scoped_save
from anjian.enterprises.models import ArchiveDocument, Enterprise, LiabilityInsurance, Licence

# What an enterprise's own safety manager may correct; the rest (code, name, village, domain, flags, grades) is
# the regulator's registration data.
ENTERPRISE_USER_EDITABLE = frozenset(
    {"legal_representative", "safety_principal", "safety_principal_phone", "address", "latitude", "longitude",
     "employee_count"}
)


def changed_fields(enterprise: Enterprise) -> list[str]:
    """Names of the concrete fields whose value differs from the stored row (all of them for a new row)."""
    fields = [f for f in Enterprise._meta.concrete_fields if not f.primary_key and f.name not in {"created", "updated"}]
    stored = Enterprise.objects.filter(pk=enterprise.pk).values(*[f.attname for f in fields]).first()
    if stored is None:
        return [f.name for f in fields]
    return [f.name for f in fields if getattr(enterprise, f.attname) != stored[f.attname]]


def enterprise_save(*, actor: Any, enterprise: Enterprise, reason: str = "") -> Enterprise:
    """Register a new enterprise or save changes to one, inside the actor's jurisdiction."""
    changed = changed_fields(enterprise) if enterprise.pk is not None else None
    if changed == []:
        # Nothing to decide: no history row, no audit event (a form saved unchanged, a re-import).
        return enterprise
    if changed is not None and getattr(actor, "role", None) == Role.ENTERPRISE_USER and not actor.is_superuser:
        forbidden = [name for name in changed if name not in ENTERPRISE_USER_EDITABLE]
        if forbidden:
            labels = "、".join(str(Enterprise._meta.get_field(name).verbose_name) for name in forbidden)
            raise PermissionDenied(_("企业用户不能修改登记信息：%(fields)s。") % {"fields": labels})
    action = "enterprise.update" if enterprise.pk else "enterprise.create"
    return scoped_save(actor=actor, obj=enterprise, reason=reason, audit_action=action)


def enterprise_delete(*, actor: Any, enterprise: Enterprise, reason: str = "") -> None:
    scoped_delete(actor=actor, obj=enterprise, reason=reason)


def _supersede_older(record: Licence | LiabilityInsurance | ArchiveDocument, **same_kind: Any) -> None:
    """A newer record of the same kind replaces the older ones for expiry warnings (a renewal)."""
    if record.valid_to is None:
        return
    type(record).objects.filter(enterprise_id=record.enterprise_id, superseded=False, **same_kind).exclude(
        pk=record.pk
    ).filter(valid_to__lt=record.valid_to).update(superseded=True)


def licence_save(*, actor: Any, licence: Licence, reason: str = "") -> Licence:
    with transaction.atomic():
        action = "licence.update" if licence.pk else "licence.add"
        scoped_save(actor=actor, obj=licence, reason=reason, audit_action=action)
        _supersede_older(licence, licence_type=licence.licence_type)
    return licence


def insurance_save(*, actor: Any, insurance: LiabilityInsurance, reason: str = "") -> LiabilityInsurance:
    with transaction.atomic():
        action = "insurance.update" if insurance.pk else "insurance.add"
        scoped_save(actor=actor, obj=insurance, reason=reason, audit_action=action)
        _supersede_older(insurance)
    return insurance


def archive_save(*, actor: Any, document: ArchiveDocument, reason: str = "") -> ArchiveDocument:
    with transaction.atomic():
        action = "archive.update" if document.pk else "archive.add"
        scoped_save(actor=actor, obj=document, reason=reason, audit_action=action)
        _supersede_older(document, doc_type=document.doc_type)
    return document


def child_delete(*, actor: Any, record: Licence | LiabilityInsurance | ArchiveDocument, reason: str = "") -> None:
    scoped_delete(actor=actor, obj=record, reason=reason)
