"""Pages of risk units, assessments, control measures and their checks (issue 9 item 4): the kit's generic views,
configured, plus the assessment form, the check of a measure, the open check items and the 风险告知卡 (PDF). Every
queryset starts from `restrict()`; every write goes through anjian.risk.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from anjian.core.errors import SERVICE_ERRORS
from anjian.core.scope import ADD, CHANGE, DELETE, VIEW, allows, can_add, jurisdiction_of
from anjian.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectViewMixin,
    add_validation_error,
    refuse_on_form,
    safe_next,
)
from anjian.enterprises.models import Enterprise
from anjian.risk import importing, selectors, services
from anjian.risk.filtersets import (
    ControlMeasureFilterSet,
    MeasureCheckFilterSet,
    RiskAssessmentFilterSet,
    RiskUnitFilterSet,
)
from anjian.risk.forms import ASSESS_FIELDS, AssessForm, ControlMeasureForm, MeasureCheckForm, RiskUnitForm
from anjian.risk.models import ControlMeasure, MeasureCheck, RiskAssessment, RiskUnit
from anjian.risk.tables import (
    CheckItemTable,
    ControlMeasureTable,
    MeasureCheckTable,
    RiskAssessmentTable,
    RiskUnitTable,
    colour_badge,
)

# The enterprise page lists this many of its units, then links to the list.
PANEL_UNITS = 10
PANEL_CHECKS = 10  # check items listed on the 开始自查 page; the rest behind 全部


# ---- risk units ---------------------------------------------------------------------------------------------------


class RiskUnitMixin:
    model = RiskUnit
    url_base = "risk:riskunit"

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.risk_unit_list(user=self.request.user, action=action)


class RiskUnitListView(RiskUnitMixin, ObjectListView):
    # The export is the register's import columns (plus colour and date), so it imports back unchanged.
    export_spec = importing.SPEC
    filterset_class = RiskUnitFilterSet
    table_class = RiskUnitTable
    template_name = "risk/riskunit_list.html"

    def get_extra_context(self) -> dict[str, Any]:
        return {"may_import": can_add(self.request.user, RiskUnit)}


class RiskUnitDetailView(RiskUnitMixin, ObjectDetailView):
    template_name = "risk/riskunit_detail.html"
    detail_fields = ("enterprise", "kind", "location", "control_level", "responsible_person", "hazard_factors",
                     "accident_types", "emergency_measures", "emergency_phone", "warning_signs", "assessed_on")

    def get_extra_context(self, obj: RiskUnit) -> dict[str, Any]:
        user = self.request.user
        return {
            "colour": colour_badge(obj.colour, obj.get_colour_display()),
            "may_assess": allows(user, services.ASSESS, obj),
            "may_change": allows(user, CHANGE, obj),
            "assessments": selectors.assessment_list(user=user).filter(unit=obj)[:20],
            "measures_by_kind": selectors.measures_by_kind(obj),
            "may_change_measure": allows(user, CHANGE, ControlMeasure(enterprise=obj.enterprise, unit=obj)),
            "may_delete_measure": allows(user, DELETE, ControlMeasure(enterprise=obj.enterprise, unit=obj)),
        }


class EnterpriseInitialMixin:
    """`?enterprise=<id>` preselects the enterprise, among those the user may change."""

    def get_initial(self, instance) -> dict[str, Any]:
        if instance.pk:
            return {}
        enterprise_id = self.request.GET.get("enterprise", "")
        if not enterprise_id.isdigit():
            return {}
        enterprise = Enterprise.objects.restrict(self.request.user, CHANGE).filter(pk=enterprise_id).first()
        return {"enterprise": enterprise} if enterprise else {}


class RiskUnitEditView(EnterpriseInitialMixin, RiskUnitMixin, ObjectEditView):
    form_class = RiskUnitForm
    service = services.risk_unit_save
    service_arg = "unit"


class RiskUnitDeleteView(RiskUnitMixin, ObjectDeleteView):
    service = services.risk_unit_delete
    service_arg = "unit"


class RiskAssessView(RiskUnitMixin, ObjectViewMixin, View):
    """风险评估 of one unit: LEC or the risk matrix; the result replaces the unit's colour (services.risk_assess)."""

    template_name = "risk/riskunit_assess.html"

    def get_unit(self, pk: Any) -> RiskUnit:
        unit = self.get_queryset(services.ASSESS).filter(pk=pk).first()
        if unit is None:
            raise Http404(_("记录不存在或不在您的管辖范围内。"))
        return unit

    def render_form(self, unit: RiskUnit, form: AssessForm, status: int = 200):
        context = {"object": unit, "form": form, "lec_mapping": services.lec_mapping(),
                   "ls_scheme": services.ls_scheme(), "list_url": self.url("list")}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_form(self.get_unit(pk), AssessForm())

    def post(self, request, pk):
        unit = self.get_unit(pk)
        form = AssessForm(request.POST)
        if not form.is_valid():
            return self.render_form(unit, form)
        method = form.cleaned_data["method"]
        try:
            assessment = services.risk_assess(
                actor=request.user, unit=unit, method=method, inputs=form.inputs(),
                assessed_on=form.cleaned_data["assessed_on"], assessor_name=form.cleaned_data["assessor_name"],
                reason=form.cleaned_data["reason"])
        except ValidationError as error:
            names = ASSESS_FIELDS.get(method, {})
            add_validation_error(form, ValidationError({names.get(key, key): value for key, value in
                                                        error.message_dict.items()}))
            return self.render_form(unit, form)
        except SERVICE_ERRORS as error:
            return self.render_form(unit, form, status=refuse_on_form(form, error))
        messages.success(request, _("已评估“%(unit)s”：%(level)s（风险值 %(score)s）。") % {
            "unit": unit, "level": assessment.get_colour_display(), "score": assessment.score.normalize()})
        return HttpResponseRedirect(unit.get_absolute_url())


class RiskCardView(RiskUnitMixin, View):
    """The printable 风险告知卡 of one unit (PDF, anjian.risk.card)."""

    def get(self, request, pk):
        from anjian.risk.card import risk_card_pdf

        unit = self.get_queryset(VIEW).filter(pk=pk).first()
        if unit is None:
            raise Http404(_("记录不存在或不在您的管辖范围内。"))
        response = HttpResponse(risk_card_pdf(unit), content_type="application/pdf")
        response["Content-Disposition"] = f"inline; filename=risk-card-{unit.pk}.pdf"
        return response


# ---- assessments --------------------------------------------------------------------------------------------------


class RiskAssessmentMixin:
    model = RiskAssessment
    url_base = "risk:riskassessment"

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.assessment_list(user=self.request.user, action=action)


class RiskAssessmentListView(RiskAssessmentMixin, ObjectListView):
    filterset_class = RiskAssessmentFilterSet
    table_class = RiskAssessmentTable


class RiskAssessmentDetailView(RiskAssessmentMixin, ObjectDetailView):
    detail_fields = ("unit", "enterprise", "method", "method_version", "scheme", "inputs", "score", "colour",
                     "assessor_name", "assessed_on")


# ---- control measures ---------------------------------------------------------------------------------------------


class ControlMeasureMixin:
    model = ControlMeasure
    url_base = "risk:controlmeasure"

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.measure_list(user=self.request.user, action=action)


class ControlMeasureListView(ControlMeasureMixin, ObjectListView):
    filterset_class = ControlMeasureFilterSet
    table_class = ControlMeasureTable


class ControlMeasureEditView(ControlMeasureMixin, ObjectEditView):
    """`?unit=<id>` (the unit page's 添加管控措施) fixes the unit, among those the user may change."""

    form_class = ControlMeasureForm
    service = services.measure_save
    service_arg = "measure"

    def get_initial(self, instance) -> dict[str, Any]:
        unit_id = self.request.GET.get("unit", "")
        if instance.pk or not unit_id.isdigit():
            return {}
        unit = RiskUnit.objects.restrict(self.request.user, CHANGE).filter(pk=unit_id).first()
        return {"unit": unit} if unit else {}


class ControlMeasureDeleteView(ControlMeasureMixin, ObjectDeleteView):
    service = services.measure_delete
    service_arg = "measure"

    def after_delete_url(self, obj) -> str:
        return obj.unit.get_absolute_url()


# ---- check items and checks ---------------------------------------------------------------------------------------


class CheckItemsView(ControlMeasureMixin, ObjectListView):
    """管控措施检查项: the measures whose current period nobody checked yet (today, Asia/Shanghai)."""

    filterset_class = ControlMeasureFilterSet
    table_class = CheckItemTable
    template_name = "risk/check_items.html"

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.check_items_due(user=self.request.user, action=action)

    def get_table(self, queryset: QuerySet) -> CheckItemTable:
        table = super().get_table(queryset)
        if getattr(self.request.user, "enterprise_id", None):
            # An enterprise's own items: its name on every row only narrows the phone's columns.
            table.columns.hide("enterprise")
        return table

    def get_extra_context(self) -> dict[str, Any]:
        # This page lists what is due, not the measures: no 新建 here (measures are added on their unit's page).
        return {"verbose_name_plural": _("管控检查项"), "add_url": None}


class MeasureCheckView(ControlMeasureMixin, ObjectViewMixin, View):
    """Check one measure for this period; 未落实 reports a hazard (services.measure_check)."""

    template_name = "risk/measure_check.html"

    def get_measure(self, pk: Any) -> ControlMeasure:
        measure = self.get_queryset(VIEW).filter(pk=pk).first()
        if measure is None:
            raise Http404(_("记录不存在或不在您的管辖范围内。"))
        if not services.may_check(self.request.user, measure):
            raise PermissionDenied(_("您无权检查该管控措施。"))
        return measure

    def render_form(self, measure: ControlMeasure, form: MeasureCheckForm, status: int = 200):
        return render(self.request, self.template_name, {"object": measure, "form": form,
                                                         "list_url": self.url("list")}, status=status)

    def get(self, request, pk):
        return self.render_form(self.get_measure(pk), MeasureCheckForm())

    def post(self, request, pk):
        measure = self.get_measure(pk)
        form = MeasureCheckForm(request.POST)
        if not form.is_valid():
            return self.render_form(measure, form)
        try:
            check = services.measure_check(actor=request.user, measure=measure, **form.cleaned_data)
        except SERVICE_ERRORS as error:
            return self.render_form(measure, form, status=refuse_on_form(form, error))
        if check.hazard_id:
            messages.warning(request, _("已记录检查：未落实，已作为隐患上报。"))
        else:
            messages.success(request, _("已记录检查：落实。"))
        return HttpResponseRedirect(safe_next(request, reverse("risk:check_items")))


class MeasureCheckListView(ObjectListView):
    model = MeasureCheck
    url_base = "risk:measurecheck"
    filterset_class = MeasureCheckFilterSet
    table_class = MeasureCheckTable

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.check_list(user=self.request.user, action=action).select_related("hazard")


def enterprise_panel(request: Any, enterprise: Any) -> dict[str, Any] | None:
    """The enterprise page's 风险点 section: its units by colour (none for who may view no risk unit)."""
    user = request.user
    if jurisdiction_of(user, VIEW, RiskUnit).nothing:
        return None
    units = list(selectors.risk_unit_list(user=user).filter(enterprise=enterprise).order_by("name")[:PANEL_UNITS + 1])
    return {
        "units": [(unit, colour_badge(unit.colour, unit.get_colour_display())) for unit in units[:PANEL_UNITS]],
        "more": len(units) > PANEL_UNITS,
        "list_url": reverse("risk:riskunit_list") + f"?enterprise={enterprise.pk}",
        "add_url": (reverse("risk:riskunit_add") + f"?enterprise={enterprise.pk}"
                    if allows(user, ADD, RiskUnit(enterprise=enterprise)) else None),
    }


def self_inspection_panel(request: Any) -> dict[str, Any] | None:
    """The 开始自查 page's 管控措施检查项 section (issue 9 item 4: risk control feeds the self-inspection): the
    measures whose check is due this period, for who records checks; none when no measure in reach has a cycle."""
    user = request.user
    if not can_add(user, MeasureCheck) or not ControlMeasure.objects.restrict(user, VIEW).exclude(
            check_cycle="").exists():
        return None
    due = selectors.check_items_due(user=user)
    return {"items": list(due[:PANEL_CHECKS]), "count": due.count(), "list_url": reverse("risk:check_items")}
