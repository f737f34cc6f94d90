"""Pages of hazard units and the 重大危险源 register (issue 9 items 2 and 6): the unit list, the unit page with its
GB 18218 working, the unit form with its chemicals, the register of the town or the city (filters, xlsx export) and a
registration's 包保责任 persons; the enterprise page's panel. Every queryset starts from `restrict()`; writes call
anjian.hazchem.services_units."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.errors import SERVICE_ERRORS
from anjian.core.privacy import mask_phone
from anjian.core.scope import CHANGE, VIEW, allows, can_add, jurisdiction_of
from anjian.core.views import (
    FastSelect,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    field_rows,
    refuse_on_form,
)
from anjian.enterprises.selectors import sees_phone
from anjian.hazchem import selectors_units, services_units
from anjian.hazchem.filtersets_units import HazardUnitFilterSet, MajorHazardFilterSet
from anjian.hazchem.forms_units import HazardUnitForm, MajorHazardForm, UnitChemicalFormSet, initial_rows
from anjian.hazchem.models import HazardUnit, MajorHazard, UnitGrading
from anjian.hazchem.models.units import PHONE_FIELDS, MajorHazardStatus
from anjian.hazchem.selectors_units import DUE_SOON_DAYS
from anjian.hazchem.tables_units import LEVEL_LABELS, HazardUnitTable, MajorHazardTable
from anjian.regions.selectors import region_choices

LEVEL_COLOURS = {1: "danger", 2: "warning", 3: "warning", 4: "info"}


class UnitQuerySetMixin:
    model = HazardUnit
    url_base = "hazchem:hazardunit"

    def get_queryset(self, action: str) -> QuerySet:
        return selectors_units.unit_list(user=self.request.user, action=action).select_related(
            "enterprise", "enterprise__region")


class HazardUnitListView(UnitQuerySetMixin, ObjectListView):
    filterset_class = HazardUnitFilterSet
    table_class = HazardUnitTable
    template_name = "hazchem/hazardunit_list.html"

    def get_extra_context(self) -> dict[str, Any]:
        return {"can_import": can_add(self.request.user, HazardUnit)}

    def filter_form_hook(self, form: forms.Form) -> None:
        form.fields["town"].widget = FastSelect(choices=region_choices(user=self.request.user,
                                                                       levels=("town", "village")))
        form.fields["enterprise"].widget = forms.HiddenInput()


class HazardUnitDetailView(UnitQuerySetMixin, ObjectDetailView):
    """The unit page: what was declared, then the working row by row (issue 9 item 2: each row's q, Q and its
    source row, q/Q, β and its source, β·q/Q; α and its source, S, R and the level), or which chemical needs a
    hazard symbol or β."""

    template_name = "hazchem/hazardunit_detail.html"
    detail_fields = ("enterprise", "kind", "location", "exposed_people", "grading", "graded_at")

    def get_extra_context(self, obj: HazardUnit) -> dict[str, Any]:
        working = obj.working or {}
        registration = MajorHazard.objects.filter(unit=obj).first()
        return {
            "working": working,
            "working_rows": working.get("rows", []),
            "missing": working.get("missing", []),
            "excluded": working.get("excluded", []),
            "needs_data": obj.grading in (UnitGrading.NEEDS_BETA, UnitGrading.NEEDS_SYMBOL),
            "level_label": LEVEL_LABELS.get(obj.level, ""),
            "level_colour": LEVEL_COLOURS.get(obj.level, "secondary"),
            "key_processes": list(obj.key_processes.order_by("number")),
            "registration": registration,
            "registration_edit_url": reverse("hazchem:majorhazard_edit", args=[registration.pk])
            if registration is not None and allows(self.request.user, CHANGE, registration) else None,
        }


class HazardUnitEditView(UnitQuerySetMixin, ObjectEditView):
    """The unit and its chemicals in one form: the service replaces the chemicals and grades the unit."""

    form_class = HazardUnitForm
    template_name = "hazchem/hazardunit_edit.html"

    def get_initial(self, instance: HazardUnit) -> dict[str, Any]:
        enterprise = self.request.GET.get("enterprise", "")
        return {"enterprise": enterprise} if enterprise.isdigit() and instance.pk is None else {}

    def get_extra_context(self, instance: HazardUnit) -> dict[str, Any]:
        return {"formset": getattr(self, "formset", None) or UnitChemicalFormSet(initial=initial_rows(instance),
                                                                                 prefix="chem")}

    def post(self, request, pk=None):
        instance = self.get_instance(pk)
        is_new = instance.pk is None
        form = self.get_form(instance, data=request.POST)
        self.formset = UnitChemicalFormSet(data=request.POST, prefix="chem")
        if not (form.is_valid() and self.formset.is_valid()):
            return self.render_form(form, instance)
        unit = form.save(commit=False)
        entries = [entry for entry in (row.entry() for row in self.formset.forms) if entry is not None]
        try:
            services_units.hazard_unit_save(actor=request.user, unit=unit, chemicals=entries,
                                            key_processes=list(form.cleaned_data.get("key_processes") or []))
        except ValidationError as error:
            if hasattr(error, "error_dict") and "chemicals" in error.error_dict:
                self.chemical_errors = error.error_dict.pop("chemicals")
                self.formset._non_form_errors = self.formset.error_class(
                    [message for item in self.chemical_errors for message in item.messages])
            if not hasattr(error, "error_dict") or error.error_dict:
                refuse_on_form(form, error)
            return self.render_form(form, instance)
        except SERVICE_ERRORS as error:
            return self.render_form(form, instance, status=refuse_on_form(form, error))
        message = _("已新建%(name)s“%(obj)s”。") if is_new else _("已保存%(name)s“%(obj)s”。")
        messages.success(request, message % {"name": self.model._meta.verbose_name, "obj": unit})
        return HttpResponseRedirect(unit.get_absolute_url())


class HazardUnitDeleteView(UnitQuerySetMixin, ObjectDeleteView):
    service = services_units.hazard_unit_delete
    service_arg = "unit"


class MajorHazardQuerySetMixin:
    model = MajorHazard
    url_base = "hazchem:majorhazard"

    def get_queryset(self, action: str) -> QuerySet:
        return selectors_units.major_hazard_list(user=self.request.user, action=action).select_related(
            "enterprise", "enterprise__region", "unit")


class MajorHazardListView(MajorHazardQuerySetMixin, ObjectListView):
    """重大危险源登记台账 of the town or the city: filters by town, level, status and the three-yearly review."""

    filterset_class = MajorHazardFilterSet
    table_class = MajorHazardTable
    default_order = ("level", "registration_number")

    def filter_form_hook(self, form: forms.Form) -> None:
        form.fields["town"].widget = FastSelect(choices=region_choices(user=self.request.user,
                                                                       levels=("town", "village")))
        form.fields["enterprise"].widget = forms.HiddenInput()

    def get_extra_context(self) -> dict[str, Any]:
        # Registrations are the system's: no add button, whoever may add elsewhere.
        return {"add_url": None}


class MajorHazardDetailView(MajorHazardQuerySetMixin, ObjectDetailView):
    detail_fields = ("registration_number", "enterprise", "unit", "status", "level", "registered_on", "review_due",
                     "principal_name", "principal_phone", "technical_name", "technical_phone", "operational_name",
                     "operational_phone")

    def get_extra_context(self, obj: MajorHazard) -> dict[str, Any]:
        # The persons' phones are personal data: in full only for who may see an enterprise's (view_personal).
        fields = field_rows(obj, self.detail_fields)
        if not sees_phone(self.request.user, obj.enterprise):
            masked = {str(obj._meta.get_field(name).verbose_name) for name in PHONE_FIELDS}
            fields = [(label, mask_phone(value) if str(label) in masked and value else value)
                      for label, value in fields]
        return {"fields": fields}


class MajorHazardEditView(MajorHazardQuerySetMixin, ObjectEditView):
    form_class = MajorHazardForm
    service = services_units.major_hazard_save
    service_arg = "registration"

    def get_instance(self, pk: Any | None) -> MajorHazard:
        # No "new" page: registrations are made by the grading (an absent pk never reaches here, see urls).
        return self.get_object(CHANGE, pk)

    def success_url(self, obj: MajorHazard) -> str:
        return reverse("hazchem:majorhazard_detail", args=[obj.pk])


def enterprise_panel(request: Any, enterprise: Any) -> dict[str, Any] | None:
    """The enterprise page's 危险化学品单元 section: its units (majors first) with their registrations."""
    user = request.user
    if jurisdiction_of(user, VIEW, HazardUnit).nothing:
        return None
    units = list(selectors_units.units_of(user=user, enterprise=enterprise))
    today = timezone.localdate()
    rows = []
    for unit in units:
        registration = getattr(unit, "registration", None)
        if registration is not None and registration.status != MajorHazardStatus.REGISTERED:
            registration = None
        rows.append({
            "unit": unit,
            "level_label": LEVEL_LABELS.get(unit.level, ""),
            "level_colour": LEVEL_COLOURS.get(unit.level, "secondary"),
            "registration": registration,
            "review_overdue": registration is not None and registration.review_due < today,
        })
    return {
        "rows": rows,
        "major": enterprise.major_hazard,
        "major_level_label": LEVEL_LABELS.get(enterprise.major_hazard_level, ""),
        "list_url": reverse("hazchem:hazardunit_list") + f"?enterprise={enterprise.pk}",
        "add_url": reverse("hazchem:hazardunit_add") + f"?enterprise={enterprise.pk}"
        if can_add(user, HazardUnit) else None,
        "due_soon_days": DUE_SOON_DAYS,
    }
