"""The test module's pages: nothing but the kit's generic views, configured."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet

from anjian.core.filtersets import BaseFilterSet
from anjian.core.forms import ServiceModelForm
from anjian.core.services import scoped_save
from anjian.core.tables import BaseTable
from anjian.core.tests.kitapp.models import WorkPermit
from anjian.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView


def permit_save(*, actor: Any, permit: WorkPermit, reason: str = "") -> WorkPermit:
    return scoped_save(actor=actor, obj=permit, reason=reason)


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
