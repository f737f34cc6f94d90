"""Pages of hazards (issue 8 items 3, 4 and 7): the kit's generic views wired to the hazards' services, the 挂牌督办
list, the public 督办 page and the enterprise page's hazards panel."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core.errors import SERVICE_ERRORS
from anjian.core.scope import CHANGE, VIEW, can_add, jurisdiction_of
from anjian.core.views import (
    FastSelect,
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    audit_events,
    field_rows,
    refuse_on_form,
)
from anjian.core.workflow import REASON_FIELD, action_label
from anjian.hazards import selectors
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HAZARD_STATUS_COLOURS, HazardLevel, HazardStatus, SupervisionLevel
from anjian.hazards.corrections import hazard_correction_refusal
from anjian.hazards.filtersets import HazardFilterSet
from anjian.hazards.forms import ACTION_FORMS, HazardEditForm, HazardReportForm
from anjian.hazards.models import Hazard
from anjian.hazards.tables import HazardTable
from anjian.regions.selectors import region_choices

URL_BASE = "hazards:hazard"
# The detail page's groups (issue 8 item 3): what was found, the 五到位, the rectification, the verification, 督办.
DETAIL_GROUPS = (
    (gettext_lazy("发现"), ("enterprise", "place", "description", "category", "level", "criterion_item", "source",
                           "found_at", "found_by", "external_ref")),
    (gettext_lazy("五到位"), ("measures", "responsible", "funds", "deadline", "interim_measures", "assigned_at",
                            "requested_deadline")),
    (gettext_lazy("整改"), ("rectification", "rectified_at")),
    (gettext_lazy("验收"), ("verification_note", "verified_by", "closed_at", "spot_check_note", "spot_checked_at")),
    (gettext_lazy("督办"), ("supervision_level", "supervising_unit", "supervision_target_date", "listed_at",
                          "lifted_at", "escalation_level")),
)
# How many of a hazard's audit events its page shows: its whole lifecycle, reopened a few times, fits.
AUDIT_LIMIT = 100
PUBLIC_PER_PAGE = 50
PUBLIC_SUMMARY_CHARS = 60


class HazardQuerySetMixin:
    def get_queryset(self, action: str) -> QuerySet:
        return selectors.hazard_list(user=self.request.user, action=action)


class HazardListView(HazardQuerySetMixin, ObjectListView):
    model = Hazard
    url_base = URL_BASE
    filterset_class = HazardFilterSet
    table_class = HazardTable
    template_name = "hazards/hazard_list.html"
    default_order = ("-found_at", "-id")

    def filter_form_hook(self, form: forms.Form) -> None:
        form.fields["town"].widget = FastSelect(choices=region_choices(user=self.request.user,
                                                                       levels=("town", "village")))
        # The enterprise id filter serves links from an enterprise page; typing ids is not a person's job.
        form.fields["enterprise"].widget = forms.HiddenInput()

    def get_extra_context(self) -> dict[str, Any]:
        # Who may report hazards may import a campaign's findings into their reach (issue 8 item 7).
        return {"can_import": can_add(self.request.user, Hazard)}


class SupervisionListView(HazardListView):
    """挂牌督办: the hazards listed for supervision now (listed, not lifted), nearest target date first."""

    default_order = ("supervision_target_date", "-listed_at", "-id")

    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).filter(selectors.LISTED)

    def get_extra_context(self) -> dict[str, Any]:
        return {"verbose_name_plural": _("挂牌督办"), "add_url": None,
                "public_url": reverse("hazards:supervision_public")}


class HazardDetailView(HazardQuerySetMixin, ObjectDetailView):
    model = Hazard
    url_base = URL_BASE
    template_name = "hazards/hazard_detail.html"

    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).select_related("found_by", "verified_by", "criterion_item")

    def allowed(self, action: str, obj: Hazard) -> bool:
        # 编辑 only while this user may still correct it (issue 8 item 3: the finder until rectification is assigned).
        if action == CHANGE and hazard_correction_refusal(self.request.user, obj) is not None:
            return False
        return super().allowed(action, obj)

    def action_buttons(self, obj: Hazard) -> list[dict[str, Any]]:
        # The buttons of what the services would accept: the level rules hide, e.g., 验收销号 of a 重大隐患 from
        # the enterprise and 解除督办 of a city listing from the town.
        return [
            {"action": step.action, "label": action_label(Hazard, step.action),
             "url": self.url("action", obj.pk, step.action)}
            for step in selectors.actions_for(self.request.user, obj)
        ]

    def get_extra_context(self, obj: Hazard) -> dict[str, Any]:
        return {
            "groups": [(title, field_rows(obj, names)) for title, names in DETAIL_GROUPS],
            "status_colour": HAZARD_STATUS_COLOURS.get(obj.status, "secondary"),
            "audit_events": audit_events(self.request.user, obj, limit=AUDIT_LIMIT),
        }


class HazardEditView(HazardQuerySetMixin, ObjectEditView):
    """登记隐患 (no pk: hazard_report, with photos) and corrections of a reported one (hazard_save, with more photos
    and a reason)."""

    model = Hazard
    url_base = URL_BASE
    form_class = HazardEditForm
    service = hazard_services.hazard_save
    service_arg = "hazard"

    def get_instance(self, pk: Any | None) -> Hazard:
        instance = super().get_instance(pk)
        if pk is not None:
            # Said before any form is shown (issue 8 item 3); hazard_save refuses it again on the stored row.
            refusal = hazard_correction_refusal(self.request.user, instance)
            if refusal is not None:
                raise PermissionDenied(refusal)
        return instance

    def get_form(self, instance: Hazard, data=None, files=None) -> forms.ModelForm:
        form_class = HazardReportForm if instance.pk is None else HazardEditForm
        return form_class(data=data, files=files, instance=instance, user=self.request.user,
                          initial=self.get_initial(instance))

    def get_initial(self, instance: Hazard) -> dict[str, Any]:
        enterprise_id = self.request.GET.get("enterprise", "")
        return {"enterprise": enterprise_id} if instance.pk is None and enterprise_id.isdigit() else {}

    def post(self, request, pk=None):
        instance = self.get_instance(pk)
        form = self.get_form(instance, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render_form(form, instance, status=422 if request.htmx else 200)
        hazard = form.save(commit=False)
        try:
            saved = hazard_services.hazard_save(actor=request.user, hazard=hazard,
                                                reason=form.cleaned_data.get(REASON_FIELD) or "",
                                                attachments=form.cleaned_data.get("photos") or [])
        except SERVICE_ERRORS as error:
            return self.render_form(form, instance, status=refuse_on_form(form, error))
        message = _("已登记隐患“%(obj)s”。") if pk is None else _("已保存隐患“%(obj)s”。")
        messages.success(request, message % {"obj": saved})
        return HttpResponseRedirect(saved.get_absolute_url())


class HazardActionView(HazardQuerySetMixin, ObjectActionView):
    model = Hazard
    url_base = URL_BASE
    services = {action: hazard_services.hazard_transition for action in hazard_services.HAZARD_SERVICES}
    action_forms = ACTION_FORMS

    def refuse_early(self, obj: Hazard, action: str, step):
        refusal = super().refuse_early(obj, action, step)
        if refusal is not None:
            return refusal
        reason = hazard_services.level_refusal(self.request.user, obj, action)
        if reason is not None:
            # Said before the form is filled in (the service would refuse it anyway).
            return self.render_action(obj, action, None, step=step, error=reason, status=403)
        return None

    def get_step(self, obj: Hazard, action: str):
        # The hazard the form is for (get_form is given only the step).
        self.hazard = obj
        return super().get_step(obj, action)

    def get_form(self, step, data=None, files=None) -> forms.Form:
        form = super().get_form(step, data=data, files=files)
        if step.action == "extend" and self.hazard.requested_deadline:
            # Deciding on the enterprise's request: the date it asked for, which the regulator may change.
            form.fields["deadline"].initial = self.hazard.requested_deadline
        if step.action == "list_supervision" and "supervision_level" in form.fields:
            level = hazard_services.actor_supervision_level(self.request.user)
            if level is not None:
                form.fields["supervision_level"].initial = level
                form.fields["supervising_unit"].help_text = _("不填则为挂牌机关：%(unit)s") % {
                    "unit": hazard_services.default_supervising_unit(self.request.user, level)}
        return form


def enterprise_panel(request: Any, enterprise: Any) -> dict[str, Any] | None:
    """The enterprise page's 隐患 section: its open hazards the user may view (none for who may view no hazard)."""
    user = request.user
    if jurisdiction_of(user, VIEW, Hazard).nothing:
        return None
    hazards = selectors.open_hazards_of(user=user, enterprise=enterprise)
    return {
        "hazards": hazards,
        "colours": HAZARD_STATUS_COLOURS,
        "list_url": reverse("hazards:hazard_list") + f"?enterprise={enterprise.pk}",
        "add_url": reverse("hazards:hazard_add") + f"?enterprise={enterprise.pk}" if can_add(user, Hazard) else None,
    }


@login_not_required
def supervision_public(request):
    """The public 督办 page (issue 8 item 4): hazards under 挂牌督办 as a regulator publishes them (enterprise, hazard
    summary, listing level and unit, target date, status); no person's name, no phone, no link into the system."""
    rows = selectors.listed_publicly().values(*selectors.PUBLIC_FIELDS)
    page = Paginator(rows, PUBLIC_PER_PAGE).get_page(request.GET.get("page"))
    levels = dict(SupervisionLevel.choices)
    statuses = dict(HazardStatus.choices)
    items = []
    for row in page.object_list:
        summary = row["description"]
        items.append({
            "enterprise": row["enterprise__name"],
            "town": row["enterprise__region__parent__name"] or "",
            "summary": summary if len(summary) <= PUBLIC_SUMMARY_CHARS else summary[:PUBLIC_SUMMARY_CHARS] + "…",
            "major": row["level"] == HazardLevel.MAJOR,
            "level": levels.get(row["supervision_level"], ""),
            "unit": row["supervising_unit"],
            "target_date": row["supervision_target_date"],
            "listed_at": row["listed_at"],
            "status": statuses.get(row["status"], row["status"]),
            "colour": HAZARD_STATUS_COLOURS.get(row["status"], "secondary"),
        })
    return render(request, "hazards/supervision_public.html", {"page": page, "items": items})

