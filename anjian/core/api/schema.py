"""The OpenAPI schema's house rules, applied to every operation of every module (issue 7 items 2 and 3).

- one tag per module: the Django app the view lives in (`enterprises`, `regions`, `accounts`, `notifications`,
  `core` for the audit log and attachments), described by the app's verbose name in `tags_hook`;
- a Chinese summary for every operation: the one given with `extend_schema(summary=...)`, else one made of the
  action and the model's verbose name ("新建生产经营单位", "行政区划列表");
- the error answers every operation can give (400, 401, 403, 404, 409, 429; 413 and 415 where a body is sent),
  all in the one error format of anjian.core.api.errors, as the shared component `Error`.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext as translated
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from anjian.core.api.errors import MESSAGES


class ErrorSerializer(serializers.Serializer):
    """接口的错误答复：稳定的错误代码、中文说明和各字段的问题（可为空）。"""

    code = serializers.CharField(help_text=_("稳定的错误代码，如 invalid、not_found、permission_denied"))
    message = serializers.CharField(help_text=_("中文说明"))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("各字段（或参数）的问题；non_field_errors 为整体的问题"),
    )

    class Meta:
        ref_name = "Error"


def error_descriptions() -> dict[str, str]:
    return {
        "400": _("请求有误：字段、参数或请求格式不符合要求（fields 列出各项问题）"),
        "401": _("未登录或令牌无效"),
        "403": _("无权执行该操作"),
        "404": _("记录不存在或不在管辖范围内"),
        "409": _("与记录的当前状态冲突（如不允许的流程操作、仍被引用的记录）"),
        "413": _("请求内容过大"),
        "415": MESSAGES["unsupported_media_type"],
        "429": MESSAGES["throttled"],
    }


ERRORS_ALWAYS = ("400", "401", "403", "404", "409", "429")
ERRORS_WITH_BODY = ("413", "415")

# Default summaries of the standard actions; "{name}" is the model's verbose name.
ACTION_SUMMARIES = {
    "list": "{plural}列表",
    "retrieve": "查看{name}",
    "create": "新建{name}",
    "update": "修改{name}",
    "partial_update": "部分修改{name}",
    "destroy": "删除{name}",
}


def module_of(view) -> str:
    config = apps.get_containing_app_config(type(view).__module__)
    return config.label if config else type(view).__module__.split(".")[1]


def _model_of(view):
    model = getattr(view, "model", None)
    if model is None and getattr(view, "queryset", None) is not None:
        model = view.queryset.model
    return model


class AnjianAutoSchema(AutoSchema):
    def get_tags(self) -> list[str]:
        return [module_of(self.view)]

    def get_summary(self) -> str | None:
        summary = super().get_summary()
        if summary:
            return str(summary)
        model = _model_of(self.view)
        action = getattr(self.view, "action", None)
        if model is None:
            return None
        name, plural = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
        template = ACTION_SUMMARIES.get(action, "{name}：" + str(action or self.method.lower()))
        return template.format(name=name, plural=plural)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        error = {"application/json": {"schema": self.resolve_serializer(ErrorSerializer, "response").ref}}
        descriptions = error_descriptions()
        codes = ERRORS_ALWAYS + (ERRORS_WITH_BODY if self.method in {"POST", "PUT", "PATCH"} else ())
        for code in codes:
            answer = responses.setdefault(code, {"description": descriptions[code]})
            # drf-spectacular's placeholder for an OpenApiResponse given without a description.
            if not answer.get("description") or answer["description"] == translated("No response body"):
                answer["description"] = descriptions[code]
            answer.setdefault("content", error)
        return responses


def tags_hook(result, generator, request, public):
    """drf-spectacular postprocessing hook: describe each module's tag with its app's (Chinese) verbose name."""
    used = {tag for path in result.get("paths", {}).values() for operation in path.values()
            for tag in operation.get("tags", ())}
    result["tags"] = [
        {"name": config.label, "description": str(config.verbose_name)}
        for config in apps.get_app_configs() if config.label in used
    ]
    return result
