from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Cursor pagination on the primary key: constant cost per page however deep (issue 2 item 7).

    A view may set `cursor_ordering` (e.g. "-id" for newest first) and `cursor_ordering_fields`, a map from
    the `ordering` query value (the FilterSet's OrderingFilter names) to a model field of the same row. Then
    `?ordering=name` or `?ordering=-employee_count` pages by that field with the id as tie-breaker; other
    values keep the default order (the FilterSet has already rejected unknown ones with a 400).

    Bad input is refused with a 400 naming the parameter (issue 7): a `page_size` that is not a whole number
    from 1 to `max_page_size`, and a `cursor` that does not decode or whose position does not fit the ordering
    field (e.g. `p=abc` on the id, which the database would otherwise be asked to compare: a 500).
    """

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw.strip())
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            message = _("每页条数须为 1 到 %(max)d 之间的整数。") % {"max": self.max_page_size}
            raise exceptions.ValidationError({self.page_size_query_param: [message]})
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = _("每页条数（1 到 %(max)d，默认 %(default)d）。") % {
                    "max": self.max_page_size, "default": self.page_size}
            elif parameter["name"] == self.cursor_query_param:
                parameter["description"] = _("翻页游标：取自上一页答复的 next 或 previous 链接。")
        return parameters

    def get_ordering(self, request, queryset, view):
        self._model = queryset.model
        default = getattr(view, "cursor_ordering", self.ordering)
        fields = getattr(view, "cursor_ordering_fields", {})
        requested = request.query_params.get("ordering", "").split(",")[0].strip()
        descending = requested.startswith("-")
        field = fields.get(requested.lstrip("-"))
        if not field:
            return (default,) if isinstance(default, str) else tuple(default)
        sign = "-" if descending else ""
        # Cursor positions come from the first field; the id keeps rows with equal values in a stable order.
        return (f"{sign}{field}", f"{sign}id")

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            raise self._invalid_cursor() from None
        if cursor is not None and cursor.position is not None:
            self._check_position(cursor.position)
        return cursor

    def _check_position(self, position: str) -> None:
        """The position must be a value of the first ordering field (the query compares the field with it)."""
        if "\x00" in position:
            raise self._invalid_cursor()  # PostgreSQL refuses NUL in text: a 500 if it reached the query
        model = getattr(self, "_model", None)
        name = self.ordering[0].lstrip("-")
        try:
            field = model._meta.get_field("id" if name == "pk" else name) if model is not None else None
        except FieldDoesNotExist:
            field = None  # an annotation (e.g. the region code): a text value, any string compares
        if field is None:
            return
        try:
            value = field.to_python(position)
            field.run_validators(value)  # integer fields carry the database's range
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            raise self._invalid_cursor() from None

    def _invalid_cursor(self) -> exceptions.ValidationError:
        message = _("翻页游标无效，请从第一页重新开始。")
        return exceptions.ValidationError({self.cursor_query_param: [message]})
