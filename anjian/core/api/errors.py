"""One error format for the whole API: {"code", "message", "fields"} (issue 2 item 7).

A service's refusal (permission, validation, illegal transition, integrity, protected relations) is answered by
anjian.core.errors, the mapping the UI uses too (issue 6 item 3); DRF's own errors keep DRF's status codes.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from anjian.core.api.parsers import RequestTooLarge
from anjian.core.errors import SERVICE_ERRORS, answer_for

API_PREFIX = "/api/"

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
    "bad_request": _("请求无效。"),
    "server_error": _("服务器内部错误，请稍后再试或联系管理员。"),
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
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        # Django's limits on a form or multipart body (DATA_UPLOAD_MAX_MEMORY_SIZE, ..._NUMBER_FIELDS/FILES).
        exc = RequestTooLarge()
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


# ---- answers outside the API views: an unknown URL under /api/, a body refused before a view ran, a crash ------


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": message, "fields": fields or {}}


def json_error(status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code, json_dumps_params={"ensure_ascii": False})


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception, template_name="400.html"):
    """handler400: under /api/ the JSON error (413 for a body over Django's limits), else Django's page."""
    if is_api(request):
        if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
            error = RequestTooLarge()
            return json_error(error.status_code, error.default_code, str(error.detail))
        return json_error(400, "bad_request", MESSAGES["bad_request"])
    return defaults.bad_request(request, exception, template_name)


def permission_denied(request, exception, template_name="403.html"):
    if is_api(request):
        return json_error(403, "permission_denied", MESSAGES["permission_denied"])
    return defaults.permission_denied(request, exception, template_name)


def page_not_found(request, exception, template_name="404.html"):
    if is_api(request):
        return json_error(404, "not_found", MESSAGES["not_found"])
    return defaults.page_not_found(request, exception, template_name)


def server_error(request, template_name="500.html"):
    if is_api(request):
        return json_error(500, "server_error", MESSAGES["server_error"])
    return defaults.server_error(request, template_name)

