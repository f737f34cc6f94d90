"""API of checklists and self-inspection (issue 8 items 1 and 2): `/api/v1/checklists/` (list, and detail with its
items), `/api/v1/inspection-schedules/` (read-only) and `/api/v1/self-inspections/` (detail with the answers and the
hazards they made; POST submits a filled checklist). Querysets come from `restrict()` through the base viewsets."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.fields import empty
from rest_framework.response import Response
from rest_framework.utils import html

from anjian.core.api.parsers import FormParser, JSONParser, MultiPartParser
from anjian.core.api.viewsets import ScopedReadOnlyViewSet
from anjian.core.filtersets import MAX_ID
from anjian.core.scope import VIEW, can_add
from anjian.enterprises.models import Enterprise
from anjian.hazards import services_checklists as services
from anjian.hazards.choices import CheckResult
from anjian.hazards.filtersets_checklists import (
    ChecklistFilterSet,
    InspectionScheduleFilterSet,
    SelfInspectionFilterSet,
)
from anjian.hazards.models import Checklist, ChecklistItem, InspectionSchedule, SelfInspection, SelfInspectionAnswer
from anjian.hazards.selectors_checklists import checklist_list, published_checklists


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "number", "text", "basis", "clause", "category", "major", "provisional"]


class ChecklistSerializer(serializers.ModelSerializer):
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Checklist
        fields = ["id", "code", "version", "title", "domain", "basis", "criteria", "official", "status",
                  "published_at", "note", "item_count"]


class ChecklistDetailSerializer(ChecklistSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta(ChecklistSerializer.Meta):
        fields = [*ChecklistSerializer.Meta.fields, "items"]


class ChecklistViewSet(ScopedReadOnlyViewSet):
    """排查清单: every version (drafts only for city staff); the detail carries the items."""

    model = Checklist
    serializer_class = ChecklistSerializer
    filterset_class = ChecklistFilterSet

    def restricted_queryset(self, action: str):
        return checklist_list(user=self.request.user, action=action)

    def optimize(self, queryset):
        queryset = queryset.annotate(item_count=Count("items"))
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(Prefetch("items", ChecklistItem.objects.order_by("number")))
        return queryset

    def get_serializer_class(self):
        return ChecklistDetailSerializer if self.action == "retrieve" else ChecklistSerializer


class InspectionScheduleSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    checklist_title = serializers.CharField(source="checklist.title", read_only=True)
    last_period = serializers.SerializerMethodField(help_text=_("最近完成自查的周期（首日）；从未完成为 null。"))

    class Meta:
        model = InspectionSchedule
        fields = ["id", "enterprise", "enterprise_name", "checklist", "checklist_title", "frequency", "starts_on",
                  "active", "responsible", "last_period"]

    def get_last_period(self, obj: InspectionSchedule) -> dt.date | None:
        return getattr(obj, "last_period", None)


class InspectionScheduleViewSet(ScopedReadOnlyViewSet):
    """自查计划 of the enterprises in the user's jurisdiction."""

    model = InspectionSchedule
    serializer_class = InspectionScheduleSerializer
    filterset_class = InspectionScheduleFilterSet

    def optimize(self, queryset):
        last = (SelfInspection.objects.filter(schedule=OuterRef("pk")).order_by("-period_start")
                .values("period_start")[:1])
        return queryset.select_related("enterprise", "enterprise__region", "checklist").annotate(
            last_period=Subquery(last))


class SelfInspectionAnswerSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="item.number", read_only=True)
    text = serializers.CharField(source="item.text", read_only=True)

    class Meta:
        model = SelfInspectionAnswer
        fields = ["item", "number", "text", "result", "note", "hazard"]


class SelfInspectionSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    checklist_title = serializers.CharField(source="checklist.title", read_only=True)

    class Meta:
        model = SelfInspection
        fields = ["id", "enterprise", "enterprise_name", "schedule", "checklist", "checklist_title", "period_start",
                  "performed_at", "failed_count", "note"]


class SelfInspectionDetailSerializer(SelfInspectionSerializer):
    answers = SelfInspectionAnswerSerializer(many=True, read_only=True)

    class Meta(SelfInspectionSerializer.Meta):
        fields = [*SelfInspectionSerializer.Meta.fields, "answers"]


class AnswerInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(label=_("检查项ID"), min_value=1, max_value=MAX_ID)
    result = serializers.ChoiceField(label=_("结果"), choices=CheckResult.choices)
    note = serializers.CharField(label=_("说明"), required=False, allow_blank=True,
                                 max_length=services.NOTE_MAX_LENGTH, help_text=_("不合格时必填。"))
    place = serializers.CharField(label=_("隐患部位"), required=False, allow_blank=True, max_length=200)


class AnswersField(serializers.ListField):
    """The answers: a JSON list, or in a multipart body (with photos) that list as a JSON string."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary):
            # A form field holds the JSON text (ListField would read each repeated field as one element).
            return dictionary.get(self.field_name, empty)
        return super().get_value(dictionary)

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                self.fail("not_a_list", input_type="string")
        return super().to_internal_value(data)


class SelfInspectionSubmitSerializer(serializers.Serializer):
    """A filled checklist. Photos of a failed item go in a multipart body as files named `photo_<item id>`."""

    checklist = serializers.PrimaryKeyRelatedField(label=_("排查清单ID"), queryset=Checklist.objects.none(),
                                                   required=False)
    schedule = serializers.PrimaryKeyRelatedField(label=_("自查计划ID"), queryset=InspectionSchedule.objects.none(),
                                                  required=False, allow_null=True)
    enterprise = serializers.PrimaryKeyRelatedField(label=_("单位ID"), queryset=Enterprise.objects.none(),
                                                    required=False, help_text=_("企业用户可省略（本单位）。"))
    note = serializers.CharField(label=_("备注"), required=False, allow_blank=True,
                                 max_length=services.NOTE_MAX_LENGTH)
    answers = AnswersField(child=AnswerInputSerializer(), allow_empty=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.context.get("request"), "user", None)
        self.fields["checklist"].queryset = published_checklists(user=user)
        self.fields["schedule"].queryset = InspectionSchedule.objects.restrict(user, VIEW).select_related(
            "enterprise", "checklist")
        self.fields["enterprise"].queryset = Enterprise.objects.restrict(user, VIEW)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        schedule = attrs.get("schedule")
        if schedule is not None:
            in_use = services.checklist_in_use(schedule.checklist)
            if in_use is None:
                raise serializers.ValidationError({"schedule": [_("该自查计划的排查清单已停用。")]})
            attrs.setdefault("checklist", in_use)
            attrs.setdefault("enterprise", schedule.enterprise)
        if attrs.get("checklist") is None:
            raise serializers.ValidationError({"checklist": [_("请填写排查清单或自查计划。")]})
        if attrs.get("enterprise") is None:
            user = getattr(self.context.get("request"), "user", None)
            own = getattr(user, "enterprise_id", None)
            enterprise = self.fields["enterprise"].queryset.filter(pk=own).first() if own else None
            if enterprise is None:
                raise serializers.ValidationError({"enterprise": [_("请填写单位。")]})
            attrs["enterprise"] = enterprise
        items = [answer["item"] for answer in attrs["answers"]]
        if len(set(items)) != len(items):
            raise serializers.ValidationError({"answers": [_("同一检查项只能作答一次。")]})
        return attrs


class SelfInspectionViewSet(ScopedReadOnlyViewSet):
    """企业自查 of the enterprises in the user's jurisdiction; the detail carries every answer. POST submits a
    filled checklist: every fail becomes a hazard found by the enterprise (issue 8 item 2)."""

    model = SelfInspection
    serializer_class = SelfInspectionSerializer
    filterset_class = SelfInspectionFilterSet
    parser_classes = (JSONParser, MultiPartParser, FormParser)

    @extend_schema(request=SelfInspectionSubmitSerializer, responses={201: SelfInspectionDetailSerializer})
    def create(self, request, *args, **kwargs):
        if not can_add(request.user, SelfInspection):
            raise exceptions.PermissionDenied(_("您无权填报企业自查。"))
        submitted = SelfInspectionSubmitSerializer(data=request.data, context={"request": request})
        submitted.is_valid(raise_exception=True)
        values = submitted.validated_data
        photos = {}
        for name in request.FILES:
            item_id = name.removeprefix("photo_")
            if not name.startswith("photo_") or not item_id.isdigit():
                raise exceptions.ValidationError({name: [_("照片字段须命名为 photo_<检查项ID>。")]})
            photos[int(item_id)] = request.FILES.getlist(name)
        answers = {row["item"]: services.Answer(result=row["result"], note=row.get("note", ""),
                                                place=row.get("place", ""))
                   for row in values["answers"]}
        inspection = services.self_inspection_submit(
            actor=request.user, enterprise=values["enterprise"], checklist=values["checklist"],
            schedule=values.get("schedule"), answers=answers, photos=photos, note=values.get("note", ""),
        )
        inspection = self.optimize(SelfInspection.objects.filter(pk=inspection.pk)).get()
        return Response(SelfInspectionDetailSerializer(inspection, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    def optimize(self, queryset):
        queryset = queryset.select_related("enterprise", "enterprise__region", "checklist")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("answers", SelfInspectionAnswer.objects.select_related("item").order_by("item__number"))
            )
        return queryset

    def get_serializer_class(self):
        return SelfInspectionDetailSerializer if self.action == "retrieve" else SelfInspectionSerializer
