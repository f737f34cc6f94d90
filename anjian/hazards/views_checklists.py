"""Pages of checklists and self-inspection (issue 8 items 1 and 2): the kit's generic views, configured, plus the
phone page that fills a checklist and the page of missed self-inspections. Writes go through
anjian.hazards.services_checklists; every queryset starts from `restrict()`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from anjian.accounts.roles import Role
from anjian.core.attachments import attachments_of
from anjian.core.errors import SERVICE_ERRORS, answer_for
from anjian.core.registry import drawn_panels, registry
from anjian.core.scope import CHANGE, DELETE, VIEW, allows, can_add
from anjian.core.views import ObjectActionView, ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from anjian.enterprises.models import Enterprise
from anjian.hazards import selectors_checklists as selectors
from anjian.hazards import services_checklists as services
from anjian.hazards.choices import ChecklistStatus, CheckResult
from anjian.hazards.filtersets_checklists import (
    ChecklistFilterSet,
    InspectionScheduleFilterSet,
    SelfInspectionFilterSet,
)
from anjian.hazards.forms_checklists import ChecklistForm, ChecklistItemForm, ScheduleForm
from anjian.hazards.models import Checklist, ChecklistItem, InspectionSchedule, SelfInspection
from anjian.hazards.tables_checklists import (
    ChecklistTable,
    InspectionScheduleTable,
    MissedScheduleTable,
    SelfInspectionTable,
)

# A phone uploads a few photos per failed item; the kit's attach() checks each one (type, size, pixels).
PHOTOS_PER_ITEM = 5


def hazard_url(hazard: Any) -> str | None:
    """The hazard's page, once the hazards' own pages are installed (issue 8 item 3 builds them)."""
    try:
        return hazard.get_absolute_url()
    except NoReverseMatch:
        return None


# ---- checklists --------------------------------------------------------------------------------------------------


class ChecklistQuerySetMixin:
    model = Checklist
    url_base = "hazards:checklist"

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.checklist_list(user=self.request.user, action=action)


class ChecklistListView(ChecklistQuerySetMixin, ObjectListView):
    filterset_class = ChecklistFilterSet
    table_class = ChecklistTable
    default_order = ("code", "-version")

    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).annotate(item_count=Count("items"))


class ChecklistDetailView(ChecklistQuerySetMixin, ObjectDetailView):
    template_name = "hazards/checklist_detail.html"
    detail_fields = ("code", "version", "status", "domain", "basis", "criteria", "official", "published_at", "note")

    def allowed(self, action: str, obj: Checklist) -> bool:
        # A published or retired version is never changed in place (issue 8 item 1): no edit or delete button.
        if action in (CHANGE, DELETE) and obj.status != ChecklistStatus.DRAFT:
            return False
        return super().allowed(action, obj)

    def get_extra_context(self, obj: Checklist) -> dict[str, Any]:
        user = self.request.user
        editable = obj.status == ChecklistStatus.DRAFT and allows(user, CHANGE, obj)
        versions = selectors.checklist_list(user=user).filter(code=obj.code).order_by("-version")
        return {
            "items": list(obj.items.order_by("number")),
            "versions": list(versions.only("pk", "code", "version", "status", "published_at", "title")),
            "editable": editable,
            "item_add_url": reverse("hazards:checklistitem_add") + f"?checklist={obj.pk}" if editable else None,
            "new_version_url": reverse("hazards:checklist_new_version", args=[obj.pk])
            if obj.status != ChecklistStatus.DRAFT and can_add(user, Checklist) else None,
        }


class DraftOnlyMixin:
    """Edit and delete pages answer 403 for a published or retired version before showing any form (the services
    refuse it too: issue 8 item 1, a version in use is never changed in place)."""

    def get_object(self, action: str, pk: Any):
        obj = super().get_object(action, pk)
        checklist = obj if isinstance(obj, Checklist) else obj.checklist
        if checklist.status != ChecklistStatus.DRAFT:
            raise PermissionDenied(services.frozen_message())
        return obj


class ChecklistEditView(DraftOnlyMixin, ChecklistQuerySetMixin, ObjectEditView):
    form_class = ChecklistForm
    service = services.checklist_save
    service_arg = "checklist"


class ChecklistDeleteView(DraftOnlyMixin, ChecklistQuerySetMixin, ObjectDeleteView):
    service = services.checklist_delete
    service_arg = "checklist"


class ChecklistActionView(ChecklistQuerySetMixin, ObjectActionView):
    services = {"publish": services.checklist_publish, "retire": services.checklist_retire}


class ChecklistNewVersionView(View):
    """POST: a draft copy of this version as version n+1 (city staff), then its page."""

    def get(self, request, pk):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        checklist = selectors.checklist_list(user=request.user).filter(pk=pk).first()
        if checklist is None:
            raise Http404(_("记录不存在或不在您的管辖范围内。"))
        try:
            draft = services.checklist_new_version(actor=request.user, checklist=checklist)
        except SERVICE_ERRORS as error:
            answer = answer_for(error)
            details = [message for values in answer.fields.values() for message in values]
            if answer.status == 403:
                raise PermissionDenied(answer.message) from error
            messages.error(request, " ".join(details) or answer.message)
            return HttpResponseRedirect(checklist.get_absolute_url())
        messages.success(request, _("已创建第%(version)d版草稿，请编辑后发布。") % {"version": draft.version})
        return HttpResponseRedirect(draft.get_absolute_url())


class ChecklistItemMixin:
    model = ChecklistItem
    url_base = "hazards:checklistitem"

    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).select_related("checklist")


class ChecklistItemEditView(DraftOnlyMixin, ChecklistItemMixin, ObjectEditView):
    """Add (`?checklist=<id>`) or change an item of a draft."""

    form_class = ChecklistItemForm
    service = services.checklist_item_save
    service_arg = "item"
    template_name = "hazards/checklist_item_edit.html"

    def get_instance(self, pk: Any | None) -> ChecklistItem:
        if pk is not None:
            return super().get_instance(pk)
        if not can_add(self.request.user, ChecklistItem):
            raise PermissionDenied(_("您无权新建该记录。"))
        checklist_id = self.request.GET.get("checklist", "")
        checklist = (selectors.checklist_list(user=self.request.user, action=CHANGE)
                     .filter(pk=int(checklist_id)).first() if checklist_id.isdigit() else None)
        if checklist is None:
            raise Http404(_("记录不存在或不在您的管辖范围内。"))
        if checklist.status != ChecklistStatus.DRAFT:
            raise PermissionDenied(services.frozen_message())
        last = checklist.items.order_by("-number").values_list("number", flat=True).first() or 0
        return ChecklistItem(checklist=checklist, number=last + 1)

    def success_url(self, obj: ChecklistItem) -> str:
        return obj.checklist.get_absolute_url()

    def get_extra_context(self, instance: ChecklistItem) -> dict[str, Any]:
        return {"checklist": instance.checklist, "list_url": reverse("hazards:checklist_list")}


class ChecklistItemDeleteView(DraftOnlyMixin, ChecklistItemMixin, ObjectDeleteView):
    service = services.checklist_item_delete
    service_arg = "item"

    def after_delete_url(self, obj: ChecklistItem) -> str:
        return obj.checklist.get_absolute_url()


# ---- schedules ---------------------------------------------------------------------------------------------------


class ScheduleMixin:
    model = InspectionSchedule
    url_base = "hazards:schedule"

    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).select_related("enterprise", "enterprise__region", "checklist")


class ScheduleListView(ScheduleMixin, ObjectListView):
    filterset_class = InspectionScheduleFilterSet
    table_class = InspectionScheduleTable


class ScheduleDetailView(ScheduleMixin, ObjectDetailView):
    template_name = "hazards/schedule_detail.html"
    detail_fields = ("enterprise", "checklist", "frequency", "starts_on", "responsible", "active")

    def get_extra_context(self, obj: InspectionSchedule) -> dict[str, Any]:
        user = self.request.user
        today = timezone.localdate()
        current = services.period_start(obj.frequency, today)
        inspections = list(SelfInspection.objects.restrict(user, VIEW).filter(schedule=obj)
                           .order_by("-performed_at")[:10])
        done = any(row.period_start == current for row in inspections)
        return {
            "inspections": inspections,
            "current_period": current,
            "current_done": done,
            "fill_url": reverse("hazards:selfinspection_add") + f"?schedule={obj.pk}"
            if obj.active and not done and can_add(user, SelfInspection)
            and services.checklist_in_use(obj.checklist) is not None else None,
        }


class ScheduleEditView(ScheduleMixin, ObjectEditView):
    form_class = ScheduleForm
    service = services.schedule_save
    service_arg = "schedule"

    def get_initial(self, instance: InspectionSchedule) -> dict[str, Any]:
        if instance.pk:
            return {}
        initial: dict[str, Any] = {"starts_on": timezone.localdate()}
        enterprise_id = self.request.GET.get("enterprise", "")
        if enterprise_id.isdigit():
            enterprise = Enterprise.objects.restrict(self.request.user, VIEW).filter(pk=enterprise_id).first()
            if enterprise is not None:
                initial["enterprise"] = enterprise
        return initial


class ScheduleMissedView(ScheduleMixin, ObjectListView):
    """漏查: schedules whose previous period has no self-inspection, for town and city supervisors (issue 8 item 2)."""

    filterset_class = InspectionScheduleFilterSet
    table_class = MissedScheduleTable
    template_name = "hazards/schedule_missed.html"
    url_base = "hazards:schedule_missed"

    def get_queryset(self, action: str) -> QuerySet:
        return (selectors.missed_schedules(user=self.request.user, action=action)
                .select_related("enterprise__region__parent").order_by("enterprise__name", "id"))

    def get_extra_context(self) -> dict[str, Any]:
        queryset, _filterset = self.filtered(VIEW)
        return {"towns": selectors.missed_by_town(queryset), "verbose_name_plural": _("漏查提醒"),
                "add_url": None}


# ---- self-inspections --------------------------------------------------------------------------------------------


class SelfInspectionMixin:
    model = SelfInspection
    url_base = "hazards:selfinspection"

    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).select_related("enterprise", "enterprise__region", "checklist",
                                                           "performed_by")


class SelfInspectionListView(SelfInspectionMixin, ObjectListView):
    filterset_class = SelfInspectionFilterSet
    table_class = SelfInspectionTable


class SelfInspectionDetailView(SelfInspectionMixin, ObjectDetailView):
    template_name = "hazards/selfinspection_detail.html"
    detail_fields = ("enterprise", "checklist", "schedule", "period_start", "performed_at", "performed_by",
                     "failed_count", "note")

    def get_extra_context(self, obj: SelfInspection) -> dict[str, Any]:
        user = self.request.user
        answers = list(obj.answers.select_related("item", "hazard").order_by("item__number"))
        rows = []
        for answer in answers:
            hazard = answer.hazard
            photos = []
            if hazard is not None:
                photos = [
                    {"url": reverse("core:attachment_download", args=[row.pk]),
                     "thumbnail_url": reverse("core:attachment_thumbnail", args=[row.pk]) if row.thumbnail else None,
                     "name": row.original_name}
                    for row in attachments_of(hazard, user)
                ]
            rows.append({"answer": answer, "hazard": hazard, "hazard_url": hazard_url(hazard) if hazard else None,
                         "photos": photos})
        return {"rows": rows}


def _fill_target(request) -> tuple[Any, Checklist, InspectionSchedule | None] | None:
    """What the fill page is for: `?schedule=<id>`, or `?checklist=<id>` (+ `enterprise=<id>` for regulators)."""
    user = request.user
    params = request.POST if request.method == "POST" else request.GET
    schedule_id, checklist_id = params.get("schedule", ""), params.get("checklist", "")
    if schedule_id.isdigit():
        schedule = (InspectionSchedule.objects.restrict(user, VIEW).select_related("enterprise", "checklist")
                    .filter(pk=int(schedule_id)).first())
        if schedule is None:
            raise Http404(_("记录不存在或不在您的管辖范围内。"))
        checklist = services.checklist_in_use(schedule.checklist)
        if checklist is None:
            raise Http404(_("该自查计划的排查清单已停用，请联系监管部门或修改自查计划。"))
        return schedule.enterprise, checklist, schedule
    if checklist_id.isdigit():
        checklist = selectors.published_checklists(user=user).filter(pk=int(checklist_id)).first()
        enterprise_id = params.get("enterprise", "")
        if not enterprise_id.isdigit() and getattr(user, "enterprise_id", None):
            enterprise_id = str(user.enterprise_id)
        enterprise = (Enterprise.objects.restrict(user, VIEW).filter(pk=int(enterprise_id)).first()
                      if enterprise_id.isdigit() else None)
        if checklist is None or enterprise is None:
            raise Http404(_("记录不存在或不在您的管辖范围内。"))
        return enterprise, checklist, None
    return None


class SelfInspectionFillView(View):
    """The phone page (issue 8 item 2): one card per item with big 合格 / 不合格 / 不适用 toggles, a note that a fail
    needs, a camera input per item; submitted in one request to `self_inspection_submit`. Without `?schedule=` or
    `?checklist=`, a page to choose what to inspect."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_add(request.user, SelfInspection):
            raise PermissionDenied(_("您无权填报企业自查。"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        target = _fill_target(request)
        if target is None:
            return self.render_start(request)
        enterprise, checklist, schedule = target
        return self.render_fill(request, enterprise, checklist, schedule, submitted={}, errors={})

    def post(self, request):
        target = _fill_target(request)
        if target is None:
            raise Http404(_("请先选择自查计划或排查清单。"))
        enterprise, checklist, schedule = target
        items = list(checklist.items.order_by("number"))
        answers = {}
        photos = {}
        for item in items:
            result = request.POST.get(f"result_{item.pk}", "")
            if result:
                answers[item.pk] = services.Answer(result=result, note=request.POST.get(f"note_{item.pk}", ""),
                                                   place=request.POST.get(f"place_{item.pk}", ""))
            files = request.FILES.getlist(f"photo_{item.pk}")
            if files and result == CheckResult.FAIL:
                photos[item.pk] = files[:PHOTOS_PER_ITEM]
        try:
            inspection = services.self_inspection_submit(
                actor=request.user, enterprise=enterprise, checklist=checklist, schedule=schedule, answers=answers,
                photos=photos, note=request.POST.get("note", "")[: services.NOTE_MAX_LENGTH],
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            return self.render_fill(request, enterprise, checklist, schedule, submitted=request.POST, errors=errors,
                                    status=400)
        except SERVICE_ERRORS as error:
            answer = answer_for(error)
            if answer.status == 403:
                raise PermissionDenied(answer.message) from error
            return self.render_fill(request, enterprise, checklist, schedule, submitted=request.POST,
                                    errors={"__all__": [answer.message]}, status=answer.status)
        if inspection.failed_count:
            messages.warning(request, _("自查已提交：%(count)d 项不合格，已登记为隐患，请及时整改。")
                             % {"count": inspection.failed_count})
        else:
            messages.success(request, _("自查已提交：全部合格。"))
        return HttpResponseRedirect(inspection.get_absolute_url())

    def render_fill(self, request, enterprise, checklist, schedule, *, submitted, errors, status=200):
        cards = []
        for item in checklist.items.order_by("number"):
            cards.append({
                "item": item,
                "result": submitted.get(f"result_{item.pk}", ""),
                "note": submitted.get(f"note_{item.pk}", ""),
                "place": submitted.get(f"place_{item.pk}", ""),
                "errors": errors.get(services.item_key(item.pk), []),
            })
        general = [message for key, values in errors.items() if not key.startswith("item_") for message in values]
        context = {
            "enterprise": enterprise, "checklist": checklist, "schedule": schedule, "cards": cards,
            "general_errors": general, "error_count": len(errors), "note": submitted.get("note", ""),
            "results": CheckResult, "photos_per_item": PHOTOS_PER_ITEM,
            "period": services.period_start(schedule.frequency, timezone.localdate()) if schedule else None,
        }
        return render(request, "hazards/selfinspection_fill.html", context, status=status)

    def render_start(self, request):
        user = request.user
        today = timezone.localdate()
        schedules = list(InspectionSchedule.objects.restrict(user, VIEW).filter(active=True)
                         .select_related("enterprise", "checklist").order_by("enterprise__name", "id")[:50])
        done = set(SelfInspection.objects.filter(schedule__in=schedules).values_list("schedule_id", "period_start"))
        rows = [{"schedule": schedule,
                 "done": (schedule.pk, services.period_start(schedule.frequency, today)) in done}
                for schedule in schedules]
        checklists = []
        if user.role == Role.ENTERPRISE_USER and user.enterprise_id:
            # The checklists for every domain and those of the enterprise's own domain.
            domain = Enterprise.objects.filter(pk=user.enterprise_id).values_list("domain", flat=True).first() or ""
            checklists = list(selectors.published_checklists(user=user).filter(Q(domain="") | Q(domain=domain))
                              .order_by("criteria", "code"))
        # Other apps' periodic checks (anjian.core.registry.StartPanel), those with something for this user.
        panels = drawn_panels(registry.self_inspection_panels(), request)
        return render(request, "hazards/selfinspection_start.html",
                      {"rows": rows, "checklists": checklists, "panels": panels})


def enterprise_panel(request: Any, enterprise: Enterprise) -> dict[str, Any] | None:
    """The enterprise page's 企业自查 section: its schedules and last self-inspections the user may view."""
    user = request.user
    schedules = list(InspectionSchedule.objects.restrict(user, VIEW).filter(enterprise=enterprise)
                     .select_related("checklist").order_by("id")[:20])
    inspections = list(SelfInspection.objects.restrict(user, VIEW).filter(enterprise=enterprise)
                       .select_related("checklist").order_by("-performed_at")[:5])
    if not schedules and not inspections and not can_add(user, InspectionSchedule):
        return None
    return {
        "enterprise": enterprise,
        "schedules": schedules,
        "inspections": inspections,
        "can_fill": can_add(user, SelfInspection),
        "schedule_add_url": reverse("hazards:schedule_add") + f"?enterprise={enterprise.pk}"
        if can_add(user, InspectionSchedule) else None,
        "list_url": reverse("hazards:selfinspection_list") + f"?enterprise={enterprise.pk}",
    }

