"""The test module's pages: nothing but the kit's generic views, configured."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet

from anjian.core.filtersets import BaseFilterSet
from anjian.core.forms import ServiceModelForm
from anjian.core.scope import VIEW
from anjian.core.services import scoped_save
from anjian.core.tables import BaseTable
from anjian.core.tests.kitapp.models import WorkPermit
from anjian.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView
from anjian.core.workflow import transition


def permit_save(*, actor: Any, permit: WorkPermit, reason: str = "") -> WorkPermit:
    return scoped_save(actor=actor, obj=permit, reason=reason)


def permit_approve(*, actor: Any, obj: WorkPermit, action: str, reason: str = "", data: dict | None = None,
                   attachments: list | None = None) -> WorkPermit:
    """The module's own service for one action: the plain transition, plus stamping who approved."""

    def stamp(row: WorkPermit) -> None:
        row.approved_by = actor

    return transition(actor=actor, obj=obj, action=action, reason=reason, data=data, attachments=attachments or (),
                      apply=stamp)


def enterprise_panel(request: Any, enterprise: Any) -> dict[str, Any] | None:
    """The enterprise page's section of this module: the enterprise's permits the user may view (none: no section)."""
    permits = list(WorkPermit.objects.restrict(request.user, VIEW).filter(enterprise=enterprise).order_by("-id")[:10])
    return {"permits": permits} if permits else None


class WorkPermitFilterSet(BaseFilterSet):
    state = django_filters.CharFilter()
    search_fields = ("title",)

    class Meta:
        model = WorkPermit
        fields: list[str] = []


class WorkPermitTable(BaseTable):
    title = tables.Column(linkify=True)
    enterprise = tables.Column()
    state = tables.Column()

    class Meta(BaseTable.Meta):
        model = WorkPermit
        fields = ("title", "enterprise", "state", "valid_until")


class WorkPermitForm(ServiceModelForm):
    class Meta:
        model = WorkPermit
        fields = ["enterprise", "title"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from anjian.core.scope import CHANGE
        from anjian.enterprises.models import Enterprise

        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.restrict(user, CHANGE)


class PermitQuerySetMixin:
    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).select_related("enterprise", "enterprise__region")


class WorkPermitListView(PermitQuerySetMixin, ObjectListView):
    model = WorkPermit
    url_base = "kitapp:workpermit"
    filterset_class = WorkPermitFilterSet
    table_class = WorkPermitTable


class WorkPermitDetailView(PermitQuerySetMixin, ObjectDetailView):
    model = WorkPermit
    url_base = "kitapp:workpermit"
    detail_fields = ("enterprise", "title", "state", "valid_until", "approved_by")


class WorkPermitEditView(PermitQuerySetMixin, ObjectEditView):
    model = WorkPermit
    url_base = "kitapp:workpermit"
    form_class = WorkPermitForm
    service = permit_save
    service_arg = "permit"


class WorkPermitActionView(PermitQuerySetMixin, ObjectActionView):
    model = WorkPermit
    url_base = "kitapp:workpermit"
    services = {"approve": permit_approve}
