"""API of checklists and self-inspection (issue 8 items 1 and 2): `/api/v1/checklists/` (list, and detail with its
items), `/api/v1/inspection-schedules/` and `/api/v1/self-inspections/` (read-only; detail with the answers and
the hazards they made). Querysets come from `restrict()` through the base viewsets."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from anjian.core.api.viewsets import ScopedReadOnlyViewSet
from anjian.hazards.filtersets_checklists import (
    ChecklistFilterSet,
    InspectionScheduleFilterSet,
    SelfInspectionFilterSet,
)
from anjian.hazards.models import Checklist, ChecklistItem, InspectionSchedule, SelfInspection, SelfInspectionAnswer
from anjian.hazards.selectors_checklists import checklist_list


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


class SelfInspectionViewSet(ScopedReadOnlyViewSet):
    """企业自查 of the enterprises in the user's jurisdiction; the detail carries every answer."""

    model = SelfInspection
    serializer_class = SelfInspectionSerializer
    filterset_class = SelfInspectionFilterSet

    def optimize(self, queryset):
        queryset = queryset.select_related("enterprise", "enterprise__region", "checklist")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("answers", SelfInspectionAnswer.objects.select_related("item").order_by("item__number"))
            )
        return queryset

    def get_serializer_class(self):
        return SelfInspectionDetailSerializer if self.action == "retrieve" else SelfInspectionSerializer
