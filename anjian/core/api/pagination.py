from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Cursor pagination on the primary key: constant cost per page however deep (issue 2 item 7).

    A view may set `cursor_ordering` (e.g. "-id" for newest first) and `cursor_ordering_fields`, a map from
    the `ordering` query value (the FilterSet's OrderingFilter names) to a model field of the same row. Then
    `?ordering=name` or `?ordering=-employee_count` pages by that field with the id as tie-breaker; other
    values keep the default order (the FilterSet has already rejected unknown ones with a 400).
    """

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_ordering(self, request, queryset, view):
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
