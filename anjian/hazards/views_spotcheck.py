"""Pages of the town's spot checks (issue 8 item 3: a 一般隐患 is closed by the enterprise "with town spot checks").

待抽查 lists what the enterprises closed themselves and nobody has checked yet; 随机抽取 draws a sample of it (10 %
by default), audited, and shows the drawn hazards to open one by one, each with its 抽查 action. Only those who
may spot-check reach these pages (403 for enterprise users, grid workers and experts).
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST, require_safe

from anjian.hazards import selectors_spotcheck as selectors
from anjian.hazards.services_spotcheck import MAX_DRAW, spot_check_draw
from anjian.hazards.tables import HazardTable
from anjian.hazards.views import HazardListView


def _require_spot_check(request: HttpRequest) -> None:
    if not selectors.may_spot_check(request.user):
        raise PermissionDenied(_("您无权抽查隐患。"))


class DrawForm(forms.Form):
    size = forms.IntegerField(label=gettext_lazy("抽取数量"), min_value=1, max_value=MAX_DRAW)


class SpotCheckTable(HazardTable):
    """What a spot check starts from: when the enterprise closed the hazard and who verified it."""

    closed_at = tables.DateTimeColumn(verbose_name=gettext_lazy("销号时间"))
    verified_by = tables.Column(verbose_name=gettext_lazy("验收人"), order_by=("verified_by__username", "-id"))

    class Meta(HazardTable.Meta):
        fields = ("description", "enterprise", "town", "found_at", "closed_at", "verified_by")
        sequence = fields
        exclude = ("level", "status", "source", "deadline", "supervision")

    def value_closed_at(self, value):
        return self.value_found_at(value)


class SpotCheckListView(HazardListView):
    """待抽查: the hazards list narrowed to what awaits a spot check, with the draw form beside its title."""

    table_class = SpotCheckTable
    template_name = "hazards/spotcheck_list.html"
    default_order = ("-closed_at", "-id")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_spot_check(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.spot_checks_pending(user=self.request.user, action=action).select_related(
            "enterprise", "enterprise__region", "enterprise__region__parent", "verified_by"
        )

    def get_extra_context(self) -> dict[str, Any]:
        pending = selectors.spot_checks_pending(user=self.request.user).count()
        default = selectors.draw_size(pending)
        return {
            "verbose_name_plural": _("待抽查"),
            "add_url": None,
            "pending": pending,
            "draw_form": DrawForm(initial={"size": default}) if pending else None,
            "draw_most": min(pending, MAX_DRAW),
            "draw_percent": selectors.DRAW_PERCENT,
        }


@require_POST
def spot_check_draw_view(request: HttpRequest) -> HttpResponse:
    """随机抽取: draw, record, and show the drawn hazards (a redirect, so reloading the page does not draw again). A
    refused number goes back to the list with the reason."""
    _require_spot_check(request)
    form = DrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["size"])
        draw = spot_check_draw(actor=request.user, size=form.cleaned_data["size"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("hazards:spotcheck_list")
    return redirect("hazards:spotcheck_draw_detail", pk=draw.event.pk)


class SpotCheckDrawView(View):
    """One draw of the person who made it: its hazards in the order drawn, each 已抽查 or with its 抽查 button."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        _require_spot_check(request)
        event = selectors.spot_check_draw_event(user=request.user, pk=pk)
        if event is None:
            raise Http404
        hazards = selectors.drawn_hazards(user=request.user, event=event)
        context = {
            "event": event,
            "hazards": hazards,
            "checked": sum(1 for hazard in hazards if hazard.spot_checked_at is not None),
            "pool": (event.data or {}).get("pool", 0),
        }
        return render(request, "hazards/spotcheck_draw.html", context)


spot_check_draw_detail = require_safe(SpotCheckDrawView.as_view())
