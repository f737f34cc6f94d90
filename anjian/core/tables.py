"""Table base shared by every list page and export."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


class BaseTable(tables.Table):
    """Bootstrap styling and the project's table template (pagination without a COUNT query)."""

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}
        template_name = "generic/table.html"
        empty_text = _("没有符合条件的记录。")

    def __init__(self, *args, user=None, **kwargs):
        # The viewer decides what personal data a cell shows (mask_phone); tables get it explicitly.
        self.user = user
        super().__init__(*args, **kwargs)
        # A date stays on one line (2026-12-01 would break at its hyphens in a narrow column). The columns are this
        # table's own copies (django-tables2 deep-copies them per table).
        for bound in self.columns:
            column = bound.column
            if isinstance(column, tables.DateColumn | tables.DateTimeColumn):
                td = dict(column.attrs.get("td", {}))
                td["class"] = " ".join(part for part in (td.get("class", ""), "text-nowrap") if part)
                column.attrs = {**column.attrs, "td": td}


class AuditEventTable(BaseTable):
    occurred_at = tables.DateTimeColumn(verbose_name=_("时间"))  # SHORT_DATETIME_FORMAT (config/formats)
    actor = tables.Column(verbose_name=_("操作人"), default="—", order_by=("actor__username",))
    action = tables.Column(verbose_name=_("操作"))
    content_type = tables.Column(verbose_name=_("对象类型"), orderable=False)
    object_repr = tables.Column(verbose_name=_("对象"), orderable=False)
    reason = tables.Column(verbose_name=_("理由"), orderable=False, default="")

    class Meta(BaseTable.Meta):
        order_by = ("-occurred_at",)

    def render_action(self, record):
        return record.action_label

    def value_action(self, record):
        return record.action_label

    def render_content_type(self, value):
        model = value.model_class()
        return model._meta.verbose_name if model is not None else value.model

    def value_occurred_at(self, value):
        return value
