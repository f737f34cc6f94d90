"""Public reports in the API (issue 8 item 6, "Interfaces others rely on").

Two collections:

- `/api/v1/public-reports/`: the public's, without login. `POST` with `region` (a town or village code; may be
  left out when the pin lies in a real outline), `description`, optional `place`, `contact`, `latitude`/`longitude`
  (the map pin, inside Dongguan) and `photos` (multipart, repeated) answers 201
  `{"tracking_code": ...}`; `GET /api/v1/public-reports/<tracking_code>/` answers the report's status and nothing
  personal. An unknown and a malformed code both answer 404 with the same body. The POST is rate-limited per
  client address (ANJIAN_PUBLIC_REPORT_LIMIT an hour, every POST counts, shared with the web form): 429 in the
  API's error format with `Retry-After`. The API has no bot challenge (a client program cannot read a picture);
  the rate limit is its protection.
- `/api/v1/public-report-triage/`: the regulators' list and detail of the reports in their jurisdiction, with
  the triage actions `POST .../<id>/accept/` (`hazard` or `enterprise` + optional `description`, `place`,
  `copy_photos`; `public_reply`), `.../dismiss/` (`reason`, `public_reply`) and `.../reward/` (`reward_amount`,
  `reward_note`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from anjian.core.api.parsers import FormParser, JSONParser, MultiPartParser
from anjian.core.api.viewsets import ScopedReadOnlyViewSet, WorkflowViewSetMixin
from anjian.core.network import client_ip
from anjian.core.privacy import mask_phone
from anjian.core.workflow import REASON_FIELD, REASON_MAX_LENGTH
from anjian.hazards import services_public
from anjian.hazards.filtersets_public import PublicReportFilterSet
from anjian.hazards.models import PublicReport

# ---- the public's collection ------------------------------------------------------------------------------------


class PublicReportRateThrottle(BaseThrottle):
    """Every POST of a report counts against its client address (anjian.core.network.client_ip: X-Forwarded-For
    only from ANJIAN_TRUSTED_PROXIES), in the shared cache, with the web form's reports. Reading a status does not."""

    def allow_request(self, request, view) -> bool:
        if request.method != "POST":
            return True
        self.retry_after = services_public.rate_take(client_ip=client_ip(request))
        return self.retry_after is None

    def wait(self) -> float | None:
        return self.retry_after


class PublicReportSubmitSerializer(serializers.Serializer):
    region = serializers.CharField(
        label=gettext_lazy("镇街或村（社区）区划代码"), max_length=12, required=False, allow_blank=True,
        help_text=gettext_lazy("必填，除非经纬度落在已导入的镇街或村（社区）边界内（据此确定所在地）。"),
    )
    description = serializers.CharField(label=gettext_lazy("举报内容"),
                                        max_length=services_public.DESCRIPTION_MAX_LENGTH)
    place = serializers.CharField(label=gettext_lazy("具体地点"), max_length=200, required=False, allow_blank=True)
    contact = serializers.CharField(label=gettext_lazy("联系电话"), max_length=50, required=False, allow_blank=True,
                                    help_text=gettext_lazy("选填，仅供处理人员核实情况，不会公开。"))
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        min_value=-90, max_value=90, label=gettext_lazy("纬度"),
                                        help_text=gettext_lazy("地图标记，须与经度同时填写，在东莞市范围内。"))
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         min_value=-180, max_value=180, label=gettext_lazy("经度"))
    photos = serializers.ListField(child=serializers.FileField(), required=False, allow_empty=True,
                                   max_length=services_public.MAX_PHOTOS, label=gettext_lazy("现场照片"),
                                   help_text=gettext_lazy("JPG 或 PNG，可多张（multipart 重复字段 photos）。"))

    def validate_contact(self, value: str) -> str:
        value = value.strip()
        if value:
            PublicReport._meta.get_field("contact").run_validators(value)
        return value


class PublicStatusSerializer(serializers.Serializer):
    """The status of a report as the public sees it: nothing personal, no names, not the enterprise."""

    tracking_code = serializers.CharField()
    status = serializers.CharField(help_text=gettext_lazy("pending 待处理、accepted 已受理、rejected 不予受理"))
    status_label = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True, default=None)
    region = serializers.CharField()
    public_reply = serializers.CharField()
    hazard_progress = serializers.CharField(help_text=gettext_lazy("受理后对应隐患的整改进展，如“整改中”"))
    hazard_closed_at = serializers.DateTimeField(allow_null=True, default=None)


class PublicReportPublicViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """群众举报（公开）: file a report and follow it by its tracking code, without an account."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicReportRateThrottle]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    # What the collection answers (a status); the POST body is PublicReportSubmitSerializer.
    serializer_class = PublicStatusSerializer
    lookup_field = "tracking_code"
    # Any text up to the next slash reaches the view, so a malformed code is answered like an unknown one.
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        # No list and no queryset reach the public: a report is read by its code only (services_public).
        return PublicReport.objects.none()

    @extend_schema(
        summary=gettext_lazy("提交群众举报（无需登录）"),
        request={"multipart/form-data": PublicReportSubmitSerializer, "application/json": PublicReportSubmitSerializer},
        responses={201: inline_serializer("PublicReportReceipt", {"tracking_code": serializers.CharField()}),
                   429: OpenApiResponse(description=gettext_lazy("同一地址提交过于频繁"))},
    )
    def create(self, request, *args, **kwargs):
        body = PublicReportSubmitSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        values = body.validated_data
        report = services_public.public_report_submit(
            region=values.get("region", ""), description=values["description"], place=values.get("place", ""),
            contact=values.get("contact", ""), latitude=values.get("latitude"), longitude=values.get("longitude"),
            photos=values.get("photos") or [], client_ip=client_ip(request),
        )
        return Response({"tracking_code": report.tracking_code}, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("按查询码查看举报处理状态（无需登录）"),
        responses={200: PublicStatusSerializer,
                   404: OpenApiResponse(description=gettext_lazy("查询码不存在（格式错误时答复相同）"))},
    )
    def retrieve(self, request, *args, **kwargs):
        answer = services_public.public_report_status(tracking_code=kwargs.get(self.lookup_field, ""))
        if answer is None:
            raise exceptions.NotFound()
        return Response(self.get_serializer(answer).data)


# ---- the regulators' collection -----------------------------------------------------------------------------------


class PublicReportSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.full_name", read_only=True)
    contact = serializers.SerializerMethodField()

    class Meta:
        model = PublicReport
        fields = ["id", "tracking_code", "region", "region_name", "place", "latitude", "longitude", "description",
                  "contact", "submitted_at", "status", "decided_at", "hazard", "public_reply", "reward_amount",
                  "reward_note"]
        read_only_fields = fields

    def get_contact(self, obj: PublicReport) -> str:
        user = self.context["request"].user
        return obj.contact if services_public.sees_contact(user, obj) else mask_phone(obj.contact)


class AcceptRequestSerializer(serializers.Serializer):
    hazard = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1,
                                      label=gettext_lazy("关联已有隐患 ID"))
    enterprise = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1,
                                          label=gettext_lazy("新建隐患的企业 ID"))
    description = serializers.CharField(required=False, allow_blank=True, label=gettext_lazy("隐患描述"),
                                        max_length=services_public.DESCRIPTION_MAX_LENGTH)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200, label=gettext_lazy("隐患部位"))
    copy_photos = serializers.BooleanField(required=False, default=True,
                                           label=gettext_lazy("将举报照片附到新建的隐患上"))
    public_reply = serializers.CharField(required=False, allow_blank=True, label=gettext_lazy("处理答复"))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=REASON_MAX_LENGTH,
                                   label=gettext_lazy("说明"))


class PublicReportViewSet(WorkflowViewSetMixin, ScopedReadOnlyViewSet):
    """群众举报（受理）: the reports of the regulator's jurisdiction and their triage."""

    model = PublicReport
    serializer_class = PublicReportSerializer
    filterset_class = PublicReportFilterSet

    def optimize(self, queryset):
        return queryset.select_related("region", "region__parent")

    @extend_schema(
        request={"application/json": AcceptRequestSerializer, "multipart/form-data": AcceptRequestSerializer},
        responses={200: PublicReportSerializer,
                   400: OpenApiResponse(description=gettext_lazy("数据有误（须二选一：hazard 或 enterprise）")),
                   403: OpenApiResponse(description=gettext_lazy("无权执行该操作")),
                   404: OpenApiResponse(description=gettext_lazy("记录不存在或不在管辖范围内")),
                   409: OpenApiResponse(description=gettext_lazy("当前状态不允许该操作（illegal_transition）"))},
        summary=gettext_lazy("受理"),
    )
    @drf_action(detail=True, methods=["post"], url_path="accept", url_name="accept",
                parser_classes=[JSONParser, MultiPartParser, FormParser])
    def accept(self, request, *args, **kwargs):
        """受理：关联已有隐患（hazard），或在企业（enterprise）新建一条来源为群众举报的隐患。"""
        return self.run_transition(request, "accept", AcceptRequestSerializer)

    def transition_service(self, *, actor: Any, obj: PublicReport, action: str, reason: str, data: dict,
                           attachments: list) -> PublicReport:
        values = dict(data)
        if action == "accept":
            values.update(self._accept_choices(actor, obj, values))
        values.pop(REASON_FIELD, None)
        return services_public.public_report_transition(actor=actor, obj=obj, action=action, reason=reason,
                                                        data=values, attachments=attachments)

    @staticmethod
    def _accept_choices(actor: Any, report: PublicReport, values: dict) -> dict[str, Any]:
        """The hazard or enterprise ids of an accept, read through the same choices the page offers: an id out of
        reach is refused like a missing one (nothing tells which)."""
        found: dict[str, Any] = {"hazard": None, "enterprise": None}
        for name, choices, message in (
            ("hazard", services_public.hazards_to_link, _("该隐患不存在、不在您的管辖范围内，或不在举报所在镇街。")),
            ("enterprise", services_public.enterprises_for_new_hazard,
             _("该企业不存在、不在您的管辖范围内，或不在举报所在镇街。")),
        ):
            if values.get(name) is None:
                continue
            row = choices(actor=actor, report=report).filter(pk=values[name]).first()
            if row is None:
                raise exceptions.ValidationError({name: [message]})
            found[name] = row
        return found
