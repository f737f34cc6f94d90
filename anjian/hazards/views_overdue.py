"""Pages of the overdue ladder (issue 8 item 5) and of the hazard statistics (issue 8 item 7).

The ladder is configured through the kit's generic views: a list, add and edit (deactivating a step is unticking
启用 on its edit page; a step is never deleted, so what was sent under it stays explainable).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Case, ExpressionWrapper, F, IntegerField, QuerySet, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from anjian.accounts.roles import Role
from anjian.core.filtersets import BaseFilterSet
from anjian.core.forms import ServiceModelForm
from anjian.core.scope import CHANGE, allows
from anjian.core.tables import BaseTable
from anjian.core.views import ObjectEditView, ObjectListView
from anjian.hazards import selectors_stats
from anjian.hazards.choices import HazardLevel, HazardStatus, LadderStepKind
from anjian.hazards.ladder import LADDER_ROLES, ladder_step_save
from anjian.hazards.models import LadderStep
from anjian.hazards.selectors_spotcheck import may_spot_check

ROLE_LABELS = dict(Role.choices)

# ---------------------------------------------------------------------------------------------------------------
# The ladder


class LadderStepFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=LadderStepKind.choices, label=gettext_lazy("类型"))
    search_fields = ("level_label",)

    class Meta:
        model = LadderStep
        fields = ["kind", "active"]


# On a phone 发送时间 says both the type and the days (a town supervisor reads the ladder on a 390 px screen).
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class LadderStepTable(BaseTable):
    kind = tables.Column(verbose_name=gettext_lazy("类型"), attrs=WIDE_ONLY)
    days = tables.Column(verbose_name=gettext_lazy("天数"), attrs=WIDE_ONLY)
    when = tables.Column(verbose_name=gettext_lazy("发送时间"), accessor="pk", order_by=("offset", "kind"))
    roles = tables.Column(verbose_name=gettext_lazy("通知对象"), orderable=False)
    level_label = tables.Column(verbose_name=gettext_lazy("升级层级"), default="—")
    active = tables.BooleanColumn(verbose_name=gettext_lazy("启用"), yesno=(gettext_lazy("是"), gettext_lazy("否")))
    edit = tables.Column(verbose_name="", accessor="pk", orderable=False, exclude_from_export=True)

    class Meta(BaseTable.Meta):
        model = LadderStep
        fields = ("kind", "days", "when", "roles", "level_label", "active", "edit")
        sequence = fields

    def render_when(self, record: LadderStep) -> str:
        if record.kind == LadderStepKind.REMINDER:
            return _("整改期限前 %(days)d 天") % {"days": record.days}
        if record.days == 0:
            return _("整改期限当天")
        return _("逾期 %(days)d 天") % {"days": record.days}

    def value_when(self, record: LadderStep) -> str:
        return self.render_when(record)

    def render_roles(self, value: list) -> str:
        return "、".join(str(ROLE_LABELS.get(role, role)) for role in value)

    def value_roles(self, value: list) -> str:
        return self.render_roles(value)

    def render_edit(self, record: LadderStep) -> str:
        if not allows(self.user, CHANGE, record):
            return ""
        return format_html('<a class="btn btn-sm btn-outline-secondary text-nowrap" href="{}">{}</a>',
                           reverse("hazards:ladderstep_edit", args=[record.pk]), _("编辑"))


class LadderStepForm(ServiceModelForm):
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("通知对象"), widget=forms.CheckboxSelectMultiple,
        choices=[(role, label) for role, label in Role.choices if role in LADDER_ROLES],
        help_text=gettext_lazy("每类人员只通知其管辖范围覆盖该隐患的用户（本企业、所在村（社区）、所在镇街、全市）。"),
    )

    class Meta:
        model = LadderStep
        fields = ["kind", "days", "roles", "level_label", "active"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.initial["roles"] = list(self.instance.roles)


class LadderStepListView(ObjectListView):
    model = LadderStep
    url_base = "hazards:ladderstep"
    filterset_class = LadderStepFilterSet
    table_class = LadderStepTable
    # In the order the steps fall due: the reminders counting down, then the escalations.
    default_order = ("offset", "kind")

    def get_queryset(self, action: str) -> QuerySet:
        days_before = ExpressionWrapper(-F("days"), output_field=IntegerField())
        return super().get_queryset(action).annotate(
            offset=Case(When(kind=LadderStepKind.REMINDER, then=days_before), default=F("days"),
                        output_field=IntegerField()))


class LadderStepEditView(ObjectEditView):
    model = LadderStep
    url_base = "hazards:ladderstep"
    form_class = LadderStepForm
    service = ladder_step_save
    service_arg = "step"

    def success_url(self, obj: LadderStep) -> str:
        return reverse("hazards:ladderstep_list")


# ---------------------------------------------------------------------------------------------------------------
# Statistics


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("整改期限自"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        if start and end and (end - start).days > 3660:
            raise forms.ValidationError(_("统计期间不能超过十年。"))
        return data


def list_query(**params: str) -> str:
    """The hazard list's query string for a count (its parameters: status, level, town, domain, overdue, listed,
    deadline_after, deadline_before, on_time); the templates put the list's URL before it."""
    return f"?{urlencode(params)}" if params else ""


def with_links(row: dict[str, Any], period: selectors_stats.Period, **scope: str) -> dict[str, Any]:
    """A row of counts with the list behind each: `links` by count, and `statuses` as (count, link) per status.

    到期 and 按期销号 link to the hazards whose deadline falls in the page's `period` (issue 8 item 7)."""
    due = {"deadline_after": period.start.isoformat(), "deadline_before": period.end.isoformat()}
    links = {
        "total": list_query(**scope),
        "overdue": list_query(**scope, overdue="true"),
        "major": list_query(**scope, level=HazardLevel.MAJOR),
        "listed": list_query(**scope, listed="true"),
        "due": list_query(**scope, **due),
        "on_time": list_query(**scope, **due, on_time="true"),
    }
    statuses = [
        {"label": status.label, "count": row[status.value], "url": list_query(**scope, status=status.value)}
        for status in HazardStatus
    ]
    return {**row, "links": links, "statuses": statuses}


@require_safe
@login_required
def hazard_stats(request: HttpRequest) -> HttpResponse:
    """隐患统计: counts and the rectification rate per town and per supervision domain, for the user's reach."""
    today = timezone.localdate()
    default = selectors_stats.Period.this_year(today)
    form = PeriodForm(request.GET or None)
    period = default
    if form.is_bound and form.is_valid():
        period = selectors_stats.Period(start=form.cleaned_data["start"] or default.start,
                                        end=form.cleaned_data["end"] or today)
        if period.start > period.end:
            period = selectors_stats.Period(start=period.end.replace(month=1, day=1), end=period.end)
    user = request.user
    totals = selectors_stats.hazard_totals(user=user, period=period)
    towns = [with_links(row, period, town=row["code"])
             for row in selectors_stats.totals_by_town(user=user, period=period)]
    domains = [with_links(row, period, domain=row["domain"])
               for row in selectors_stats.totals_by_domain(user=user, period=period)]
    context = {
        "form": form,
        "period": period,
        "totals": with_links(totals, period),
        "towns": towns,
        "domains": domains,
        "status_labels": [status.label for status in HazardStatus],
        # 待抽查 (issue 8 item 3) is reached from here too, by those who spot-check.
        "may_spot_check": may_spot_check(user),
    }
    return render(request, "hazards/stats_page.html", context)

