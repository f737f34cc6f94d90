"""The API's body parsers: bad bodies are bad input (400), never a 500 (architecture rule 6, issue 7 item 1).

DRF's JSONParser reads the whole stream, whatever its size (Django's DATA_UPLOAD_MAX_MEMORY_SIZE only guards
`request.body` and forms), and lets the RecursionError of a body nested a thousand deep through as a 500.
This one refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE with 413 and a body nested deeper than MAX_DEPTH with
400, both in the API's error format. Every parser here refuses the NUL character in any text (PostgreSQL cannot
store or compare it, and a code looked up with it, e.g. a village code, would be a 500 there).
"""

from __future__ import annotations

import codecs

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status
from rest_framework.parsers import get_encoding
from rest_framework.utils import json

# No resource of the API nests deeper than a few levels; a body deeper than this is not one of ours.
MAX_DEPTH = 32


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        size = f"{limit / (1024 * 1024):g} MB" if limit else ""
        super().__init__(_("请求内容过大（上限 %(size)s）。") % {"size": size})


NUL = "\x00"


def nul_message() -> str:
    return _("不能包含空字符（\\u0000）。")


def contains_nul(value) -> bool:
    """Whether any text in `value` (keys included) holds NUL, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def depth(value) -> int:
    """How deep lists and objects nest in `value` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        encoding = get_encoding(parser_context)
        try:
            text = codecs.decode(raw, encoding)
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError:
            raise exceptions.ParseError(_("请求格式错误（JSON 嵌套层数过多）。")) from None
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        if depth(data) > MAX_DEPTH:
            raise exceptions.ParseError(_("请求格式错误（JSON 嵌套层数过多）。"))
        refuse_nul(data.items() if isinstance(data, dict) else [("non_field_errors", data)])
        return data


def refuse_nul(items) -> None:
    """A 400 naming each field whose name or value (at any depth) holds NUL, like any other invalid field."""
    fields: dict[str, list[str]] = {}
    for key, value in items:
        if contains_nul(key) or contains_nul(value):
            name = key if isinstance(key, str) and NUL not in key else "non_field_errors"
            fields[name] = [nul_message()]
    if fields:
        raise exceptions.ValidationError(fields)


def _check_form(data) -> None:
    refuse_nul((key, [str(value) for value in values]) for key, values in data.lists())


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _check_form(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _check_form(parsed.data)
        return parsed
