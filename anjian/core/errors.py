"""One mapping of what a service refuses to what the person or the system is told (issue 6 item 3).

UI views and the API both ask `answer_for(error)`: the HTTP status, a stable code, a Chinese message and the
messages per field. The API sends it as `{"code", "message", "fields"}`; a page puts the field messages beside
their fields and the message at the top of the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from anjian.core.workflow import IllegalTransition

# Errors a service raises on purpose, and what becomes of each.
SERVICE_ERRORS = (PermissionDenied, ValidationError, IllegalTransition, IntegrityError, ProtectedError, RestrictedError)


@dataclass(frozen=True)
class ErrorAnswer:
    status: int
    code: str
    message: str
    fields: dict[str, list[str]] = field(default_factory=dict)


def validation_fields(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): [str(message) for message in messages]
            for name, messages in error.message_dict.items()
        }
    return {"non_field_errors": [str(message) for message in error.messages]}


def answer_for(error: BaseException) -> ErrorAnswer | None:
    """What to answer for a service's refusal; None for an error that is not one (a bug: let it be a 500)."""
    if isinstance(error, PermissionDenied):
        return ErrorAnswer(403, "permission_denied", str(error) or _("无权执行该操作。"))
    if isinstance(error, ValidationError):
        return ErrorAnswer(400, "invalid", _("提交的数据有误。"), validation_fields(error))
    if isinstance(error, IllegalTransition):
        return ErrorAnswer(409, "illegal_transition", error.message)
    if isinstance(error, ProtectedError | RestrictedError):
        return ErrorAnswer(409, "conflict", _("该记录仍被其他记录引用（例如用户账号），不能删除。"))
    if isinstance(error, IntegrityError):
        # A concurrent write hit a unique constraint after validation passed: bad input, not a server fault.
        message = _("数据与已有记录冲突（如重复的编号）。")
        return ErrorAnswer(400, "invalid", _("提交的数据有误。"), {"non_field_errors": [message]})
    return None
