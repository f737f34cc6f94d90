"""One error format for the whole API: {"code", "message", "fields"} (issue 2 item 7).

A service's refusal (permission, validation, illegal transition, integrity, protected relations) is answered by
anjian.core.errors, the mapping the UI uses too (issue 6 item 3); DRF's own errors keep DRF's status codes.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from anjian.core.errors import SERVICE_ERRORS, answer_for

MESSAGES = {
    "parse_error": _("请求格式错误（JSON 无法解析）。"),
    "not_authenticated": _("未登录或令牌无效。"),
    "authentication_failed": _("认证失败。"),
    "permission_denied": _("无权执行该操作。"),
    "not_found": _("记录不存在。"),
    "method_not_allowed": _("不支持该请求方法。"),
    "unsupported_media_type": _("不支持的请求内容类型。"),
    "throttled": _("请求过于频繁，请稍后再试。"),
    "invalid": _("提交的数据有误。"),
}


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _flatten(value)]
    return [str(detail)]


def exception_handler(exc, context):
    if isinstance(exc, SERVICE_ERRORS):
        answer = answer_for(exc)
        body = {"code": answer.code, "message": answer.message, "fields": answer.fields}
        return Response(body, status=answer.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = {key: _flatten(value) for key, value in detail.items()}
        body = {"code": "invalid", "message": MESSAGES["invalid"], "fields": fields}
        return Response(body, status=status.HTTP_400_BAD_REQUEST, headers=response.headers)
    code = getattr(exc, "default_code", "error")
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else code
    code = codes if isinstance(codes, str) else code
    message = MESSAGES.get(code) or " ".join(_flatten(getattr(exc, "detail", "")))
    detail = str(getattr(exc, "detail", ""))
    if code == "permission_denied" and detail not in {"", str(exceptions.PermissionDenied.default_detail)}:
        message = detail
    fields = {}
    if isinstance(exc, exceptions.ParseError):
        # A body that is not JSON is bad input like a bad field: say so where field errors are read.
        fields = {"non_field_errors": [message]}
    response.data = {"code": code, "message": message, "fields": fields}
    return response
