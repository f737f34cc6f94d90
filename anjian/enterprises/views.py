"""Web pages of the registry: generic views (anjian.core.views) wired to this app's services and FilterSets."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from anjian.core.privacy import mask_phone
from anjian.core.registry import drawn_panels, registry
from anjian.core.scope import CHANGE, DELETE, EXPORT, VIEW, allows, can_add, jurisdiction_of
from anjian.core.views import FastSelect, ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from anjian.enterprises import importing, selectors, services
from anjian.enterprises.choices import FLAG_FIELDS
from anjian.enterprises.filtersets import (
    ArchiveDocumentFilterSet,
    EnterpriseFilterSet,
    LiabilityInsuranceFilterSet,
    LicenceFilterSet,
)
from anjian.enterprises.forms import ArchiveDocumentForm, EnterpriseForm, LiabilityInsuranceForm, LicenceForm
from anjian.enterprises.models import (
    VIEW_PERSONAL,
    ArchiveDocument,
    Enterprise,
    Industry,
    LiabilityInsurance,
    Licence,
)
from anjian.enterprises.selectors import sees_phone
from anjian.enterprises.tables import (
    ArchiveDocumentTable,
    EnterpriseTable,
    LiabilityInsuranceTable,
    LicenceTable,
    expiry_label,
    flag_badges,
)
from anjian.regions import selectors as region_selectors
from anjian.regions.selectors import region_choices


def town_and_village_choices(user: Any) -> list[tuple[str, str]]:
    return region_choices(user=user, levels=("town", "village"))


class EnterpriseListView(ObjectListView):
    model = Enterprise
    url_base = "enterprises:enterprise"
    filterset_class = EnterpriseFilterSet
    table_class = EnterpriseTable
    template_name = "enterprises/enterprise_list.html"
    default_order = ("name", "id")
    export_spec = importing.SPEC

    def get_queryset(self, action: str) -> QuerySet:
        queryset = selectors.enterprise_list(user=self.request.user, action=action)
        if action == EXPORT:
            # The export writes the import's columns; the expiry mark is a list column only.
            return queryset
        return queryset.annotate(expiring=selectors.expiring_condition(as_of=timezone.localdate()))

    def export_masked(self) -> dict[str, Any]:
        # Where the role may read phone numbers it reads them everywhere it may export (Enterprise.policy).
        if jurisdiction_of(self.request.user, VIEW_PERSONAL, Enterprise).nothing:
            return {"safety_principal_phone": mask_phone}
        return {}

    def filter_form_hook(self, form: forms.Form) -> None:
        form.fields["region"].widget = FastSelect(choices=town_and_village_choices(self.request.user))
        form.fields["domain"].widget.attrs["size"] = 4

    def get_extra_context(self) -> dict[str, Any]:
        # Only regulators who may add enterprises may import them (the import page re-checks).
        return {"can_import": can_add(self.request.user, Enterprise)}


class EnterpriseDetailView(ObjectDetailView):
    model = Enterprise
    url_base = "enterprises:enterprise"
    template_name = "enterprises/enterprise_detail.html"
    detail_fields = (
        "uscc", "name", "legal_representative", "safety_principal", "address", "park", "latitude", "longitude",
        "industry", "domain", "size", "employee_count", "operating_status", "standardization_grade",
        "standardization_expires", "created", "updated",
    )

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.enterprise_list(user=self.request.user, action=action)

    def get_extra_context(self, obj: Enterprise) -> dict[str, Any]:
        user = self.request.user
        today = timezone.localdate()
        phone = obj.safety_principal_phone if sees_phone(user, obj) else mask_phone(obj.safety_principal_phone)
        may_change_enterprise = allows(user, CHANGE, obj)
        sections = []
        for model, relation, url_base, columns in (
            (Licence, "licences", "enterprises:licence", ("licence_type", "number", "issuer", "valid_to")),
            (LiabilityInsurance, "insurances", "enterprises:insurance",
             ("insurer", "policy_number", "insured_persons", "valid_to")),
            (ArchiveDocument, "archives", "enterprises:archive", ("doc_type", "title", "valid_to")),
        ):
            # The records know their enterprise (this one), so each right is decided in memory.
            records = list(getattr(obj, relation).all())
            fields = [model._meta.get_field(name) for name in columns]
            rows = []
            for record in records:
                label, colour = expiry_label(record, today)
                rows.append({
                    "record": record,
                    "cells": [_cell(record, field) for field in fields],
                    "state": label,
                    "colour": colour,
                    "edit": allows(user, CHANGE, record),
                    "delete": allows(user, DELETE, record),
                })
            sections.append({
                "id": relation,
                "title": model._meta.verbose_name,
                "headers": [field.verbose_name for field in fields],
                "rows": rows,
                "url_base": url_base,
                "can_add": may_change_enterprise and can_add(user, model),
                "is_archive": model is ArchiveDocument,
            })
        return {
            "phone": phone,
            "region_path": f"{obj.region.parent.name} / {obj.region.name}" if obj.region.parent_id else obj.region.name,
            "flag_badges": flag_badges(obj),
            "all_flags": [(label, getattr(obj, field)) for field, label in FLAG_FIELDS.items()],
            "warnings": selectors.expiry_warnings(enterprise=obj, as_of=today),
            # Non-blocking: coordinates outside the town's real outline (none is checked against a 示意 area).
            "location_warning": region_selectors.town_outline_mismatch(
                region=obj.region, latitude=obj.latitude, longitude=obj.longitude
            ),
            "sections": sections,
            "panels": enterprise_panels(self.request, obj),
        }


def enterprise_panels(request, enterprise: Enterprise) -> list[dict[str, Any]]:
    """The sections other apps register for the enterprise page (anjian.core.registry), those with something to
    show this user."""
    return drawn_panels(registry.enterprise_panels(), request, enterprise)


def _cell(record, field) -> Any:
    if field.choices:
        return getattr(record, f"get_{field.name}_display")()
    return getattr(record, field.name)


class EnterpriseEditView(ObjectEditView):
    model = Enterprise
    url_base = "enterprises:enterprise"
    form_class = EnterpriseForm
    service = services.enterprise_save
    service_arg = "enterprise"
    template_name = "enterprises/enterprise_edit.html"

    def get_queryset(self, action: str) -> QuerySet:
        # The village and industry come with the row: unchanged, they need no second look-up (issue 6 item 3).
        return selectors.enterprise_list(user=self.request.user, action=action)

    def get_extra_context(self, instance: Enterprise) -> dict[str, Any]:
        return {
            "industries": Industry.objects.filter(level=4).order_by("code").values_list("code", "name"),
            "flag_fields": [self.form[name] for name in FLAG_FIELDS],
        }


class EnterpriseDeleteView(ObjectDeleteView):
    model = Enterprise
    url_base = "enterprises:enterprise"
    service = services.enterprise_delete
    service_arg = "enterprise"


# ---- licences, insurance, archives ---------------------------------------------------------------------------


class ChildListMixin:
    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).select_related("enterprise")

    def filter_form_hook(self, form: forms.Form) -> None:
        form.fields["region"].widget = FastSelect(choices=town_and_village_choices(self.request.user))
        # The enterprise id filter serves links from an enterprise page; typing ids is not a person's job.
        form.fields["enterprise"].widget = forms.HiddenInput()


class ChildEditMixin:
    """`?enterprise=<id>` preselects the enterprise, among those the user may change."""

    def get_initial(self, instance) -> dict[str, Any]:
        if instance.pk:
            return {}
        enterprise_id = self.request.GET.get("enterprise", "")
        if not enterprise_id.isdigit():
            return {}
        enterprise = Enterprise.objects.restrict(self.request.user, CHANGE).filter(pk=enterprise_id).first()
        return {"enterprise": enterprise} if enterprise else {}


class ChildDeleteMixin:
    service = services.child_delete
    service_arg = "record"

    def after_delete_url(self, obj) -> str:
        enterprise = obj.enterprise
        if allows(self.request.user, VIEW, enterprise):
            return enterprise.get_absolute_url()
        return self.url("list") or "/"


class LicenceListView(ChildListMixin, ObjectListView):
    model = Licence
    url_base = "enterprises:licence"
    filterset_class = LicenceFilterSet
    table_class = LicenceTable


class LicenceEditView(ChildEditMixin, ObjectEditView):
    model = Licence
    url_base = "enterprises:licence"
    form_class = LicenceForm
    service = services.licence_save
    service_arg = "licence"


class LicenceDeleteView(ChildDeleteMixin, ObjectDeleteView):
    model = Licence
    url_base = "enterprises:licence"


class InsuranceListView(ChildListMixin, ObjectListView):
    model = LiabilityInsurance
    url_base = "enterprises:insurance"
    filterset_class = LiabilityInsuranceFilterSet
    table_class = LiabilityInsuranceTable


class InsuranceEditView(ChildEditMixin, ObjectEditView):
    model = LiabilityInsurance
    url_base = "enterprises:insurance"
    form_class = LiabilityInsuranceForm
    service = services.insurance_save
    service_arg = "insurance"


class InsuranceDeleteView(ChildDeleteMixin, ObjectDeleteView):
    model = LiabilityInsurance
    url_base = "enterprises:insurance"


class ArchiveListView(ChildListMixin, ObjectListView):
    model = ArchiveDocument
    url_base = "enterprises:archive"
    filterset_class = ArchiveDocumentFilterSet
    table_class = ArchiveDocumentTable


class ArchiveEditView(ChildEditMixin, ObjectEditView):
    model = ArchiveDocument
    url_base = "enterprises:archive"
    form_class = ArchiveDocumentForm
    service = services.archive_save
    service_arg = "document"


class ArchiveDeleteView(ChildDeleteMixin, ObjectDeleteView):
    model = ArchiveDocument
    url_base = "enterprises:archive"


class ArchiveDownloadView(View):
    """Archive files are never served from a public media URL: each download passes the gate."""

    def get(self, request, pk):
        document = ArchiveDocument.objects.restrict(request.user, VIEW).filter(pk=pk).first()
        if document is None or not document.file:
            raise Http404(_("记录不存在或不在您的管辖范围内。"))
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as error:
            raise Http404(_("档案文件已丢失，请联系管理员。")) from error
        return FileResponse(handle, as_attachment=True, filename=PurePath(document.file.name).name)

