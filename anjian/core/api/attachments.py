"""/api/v1/attachments/: photos and documents of any record (issue 6 item 6).

List and read under the gate (`?object_type=enterprises.enterprise&object_id=12` for one record's files),
download the file or its thumbnail, and upload to a record with multipart/form-data. The record is read through
its own model's `restrict(user, "view")` (404 when out of scope), the upload needs CHANGE on it (403), and a
refused file refuses the batch (400, the Chinese reason under `fields.files`).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from anjian.core.api.parsers import FormParser, MultiPartParser
from anjian.core.api.viewsets import ScopedReadOnlyViewSet
from anjian.core.attachments import MAX_FILES, attachable_model, attachment_upload, file_response
from anjian.core.filtersets import BaseFilterSet, ObjectTypeFilter
from anjian.core.models import Attachment, AttachmentKind
from anjian.core.scope import VIEW

FILES_FIELD = "files"


class AttachmentFilterSet(BaseFilterSet):
    object_type = ObjectTypeFilter(field_name="content_type", label=_("对象类型（app.model）"))
    object_id = django_filters.CharFilter(label=_("对象ID"))
    kind = django_filters.ChoiceFilter(choices=AttachmentKind.choices, label=_("类型"))
    purpose = django_filters.CharFilter(label=_("用途"))
    search_fields = ("original_name", "note")

    class Meta:
        model = Attachment
        fields: list[str] = []


class AttachmentSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id", "object_type", "object_id", "kind", "purpose", "note", "original_name", "mime_type", "size",
            "sha256", "width", "height", "taken_at", "latitude", "longitude", "uploaded_by", "uploaded_at",
            "download_url", "thumbnail_url",
        ]
        read_only_fields = fields

    def get_object_type(self, attachment: Attachment) -> str:
        return f"{attachment.content_type.app_label}.{attachment.content_type.model}"

    def get_download_url(self, attachment: Attachment) -> str:
        return reverse("api:attachment-download", args=[attachment.pk], request=self.context.get("request"))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_thumbnail_url(self, attachment: Attachment) -> str | None:
        if not attachment.thumbnail:
            return None
        return reverse("api:attachment-thumbnail", args=[attachment.pk], request=self.context.get("request"))


class AttachmentUploadSerializer(serializers.Serializer):
    object_type = serializers.CharField(label=_("对象类型（app.model）"), max_length=100,
                                        help_text=_("例如 enterprises.enterprise"))
    object_id = serializers.CharField(label=_("对象ID"), max_length=64)
    files = serializers.ListField(
        child=serializers.FileField(), allow_empty=False, max_length=MAX_FILES, label=_("文件"),
        help_text=_("JPG、PNG 照片或 PDF、Word、Excel 文件，可多个"),
    )
    purpose = serializers.CharField(label=_("用途"), max_length=64, required=False, allow_blank=True, default="")
    note = serializers.CharField(label=_("说明"), max_length=200, required=False, allow_blank=True, default="")

    def validate_object_type(self, value: str):
        model = attachable_model(value)
        if model is None:
            raise serializers.ValidationError(_("该类型的记录不能上传附件：“%(type)s”。") % {"type": value})
        return model


class AttachmentViewSet(ScopedReadOnlyViewSet):
    """附件: photos and documents of the records the user may view; upload to a record the user may change."""

    model = Attachment
    serializer_class = AttachmentSerializer
    filterset_class = AttachmentFilterSet
    parser_classes = [MultiPartParser, FormParser]
    cursor_ordering = "id"

    def optimize(self, queryset):
        return queryset.select_related("uploaded_by", "content_type")

    def perform_content_negotiation(self, request, force=False):
        # A file answers whatever the client accepts; its errors are still JSON in the project's format.
        return super().perform_content_negotiation(request, force=force or self.action in {"download", "thumbnail"})

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={
            201: AttachmentSerializer(many=True),
            400: OpenApiResponse(description=_("文件被拒绝（类型、大小、内容或无法识别）；一个被拒绝则都不保存")),
            403: OpenApiResponse(description=_("无权为该记录上传附件")),
            404: OpenApiResponse(description=_("记录不存在或不在管辖范围内")),
        },
        summary=_("上传附件"),
    )
    def create(self, request, *args, **kwargs):
        body = AttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        model = values["object_type"]
        try:
            obj = model.objects.restrict(request.user, VIEW).filter(pk=values["object_id"]).first()
        except (ValueError, TypeError, DjangoValidationError):
            obj = None
        if obj is None:
            raise exceptions.NotFound()
        stored = attachment_upload(
            actor=request.user, obj=obj, files=values[FILES_FIELD], purpose=values["purpose"].strip(),
            note=values["note"].strip(), error_field=FILES_FIELD,
        )
        data = AttachmentSerializer(stored, many=True, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary=_("下载附件"))
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        # get_object() reads through restrict(user, "view"): out of scope is a 404 like a missing id.
        return file_response(self.get_object())

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY}, summary=_("下载缩略图"))
    @action(detail=True, methods=["get"])
    def thumbnail(self, request, pk=None):
        return file_response(self.get_object(), thumbnail=True)
