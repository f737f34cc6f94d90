"""Pages of public reports (issue 8 item 6).

The citizen's pages need no account (`login_not_required`): the report form, its confirmation with the tracking
code, and the tracking page. They are protected by a rate limit per client address (anjian.core.network.client_ip,
counted in the shared cache), the bot challenge (anjian.hazards.challenge) and a honeypot field, and they answer
with `Cache-Control: no-store` (a tracking code on a shared computer's cache is someone's report).

The regulators' pages are the kit's generic list, detail and action views under the gate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import cache_control

from anjian.core.network import client_ip
from anjian.core.privacy import mask_phone
from anjian.core.scope import VIEW, allows
from anjian.core.views import (
    FastSelect,
    ObjectActionView,
    ObjectDetailView,
    ObjectListView,
    add_validation_error,
)
from anjian.core.workflow import ATTACHMENTS_FIELD
from anjian.hazards import challenge, selectors_public, services_public
from anjian.hazards.filtersets_public import PublicReportFilterSet
from anjian.hazards.forms_public import PublicReportAcceptForm, PublicReportForm, TrackingForm, village_choices
from anjian.hazards.models import PublicReport
from anjian.hazards.tables_public import PublicReportTable
from anjian.regions.selectors import region_choices

NOT_FOUND = "not_found"
# The pin map's background changes only when outlines are loaded: an hour in the browser's cache is plenty.
MAP_MAX_AGE = 3600


def private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, no_store=True, private=True)
    return response


def pin_map_config(*, latitude: Any = None, longitude: Any = None, editable: bool) -> dict[str, Any]:
    """What static/hazards/report_pin.js reads (json_script): the offline background, the intranet tile server when
    one is configured (as the enterprise map), the bounds a pin must keep to, and the pin already placed."""
    west, south, east, north = services_public.pin_bounds()
    return {
        "geographyUrl": reverse("hazards:public_report_map"),
        "tileUrl": settings.ANJIAN_MAP_TILE_URL,
        "tileAttribution": settings.ANJIAN_MAP_TILE_ATTRIBUTION,
        "bounds": [[float(south), float(west)], [float(north), float(east)]],
        "pin": [float(latitude), float(longitude)] if latitude not in (None, "") and longitude not in (None, "")
        else None,
        "editable": editable,
        "text": {
            "placed": _("已标记位置：纬度 %(lat)s，经度 %(lng)s") if not editable
            else _("已标记位置：纬度 %(lat)s，经度 %(lng)s（可拖动标记微调）"),
            "empty": _("未标记。点击地图即可标出隐患所在位置（选填）。"),
            "outside": _("该位置不在东莞市范围内，请在市界内标记。"),
        },
    }


# ---- the citizen's pages -----------------------------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class PublicReportView(View):
    """The report form (GET) and its submission (POST), answered by the confirmation page with the tracking code.

    The confirmation is the POST's own answer, not a redirect to a URL holding the code: the code stays out of
    addresses, browser history and server logs. Reloading it asks to send the form again, which the used-up
    challenge refuses, so a report is not filed twice."""

    template_name = "hazards/public_report_form.html"

    def render_form(self, form: PublicReportForm, *, status: int = 200, limited: str = "") -> HttpResponse:
        typed = form.data if form.is_bound else form.initial
        pin = pin_map_config(latitude=_decimal_or_none(typed.get("latitude")),
                             longitude=_decimal_or_none(typed.get("longitude")), editable=True)
        context = {"form": form, "challenge": challenge.new_challenge(), "limited": limited,
                   "max_photos": services_public.MAX_PHOTOS, "pin_config": pin}
        return private(render(self.request, self.template_name, context, status=status))

    def get(self, request):
        return self.render_form(PublicReportForm())

    def post(self, request):
        address = client_ip(request)
        wait = services_public.rate_wait(client_ip=address)
        if wait is not None:
            return self.rate_limited(wait)
        form = PublicReportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form)
        # Counted once the challenge is passed: a mistyped answer costs the citizen nothing.
        wait = services_public.rate_take(client_ip=address)
        if wait is not None:
            return self.rate_limited(wait)
        data = form.cleaned_data
        try:
            report = services_public.public_report_submit(
                region=form.region_code, description=data["description"], place=data.get("place", ""),
                contact=data.get("contact", ""), latitude=data.get("latitude"), longitude=data.get("longitude"),
                photos=data.get("photos") or [], client_ip=address,
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.render_form(form)
        context = {"report": report, "code": services_public.format_tracking_code(report.tracking_code)}
        return private(render(request, "hazards/public_report_done.html", context))

    def rate_limited(self, wait: int) -> HttpResponse:
        # What was typed comes back as initial values: an unbound form, validated by nobody (validating would
        # spend the challenge).
        typed = {key: self.request.POST.get(key, "")
                 for key in ("town", "village", "place", "latitude", "longitude", "description", "contact")}
        form = PublicReportForm(initial=typed)
        form.fields["village"].choices = village_choices(typed["town"])
        response = self.render_form(form, status=429, limited=services_public.rate_message(wait))
        response["Retry-After"] = str(wait)
        return response


def _decimal_or_none(value: Any) -> Decimal | None:
    """A typed coordinate for redrawing the pin after a refused form; anything else is no pin."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


@method_decorator(login_not_required, name="dispatch")
@method_decorator(cache_control(public=True, max_age=MAP_MAX_AGE), name="dispatch")
class PublicReportMapView(View):
    """The pin map's background as GeoJSON (public geography; the same for everyone, so browsers may keep it)."""

    def get(self, request):
        return JsonResponse(selectors_public.report_map_geography(), content_type="application/geo+json",
                            json_dumps_params={"separators": (",", ":"), "ensure_ascii": False})


@method_decorator(login_not_required, name="dispatch")
class PublicReportVillagesView(View):
    """The village options of a town, for the report form's second select (htmx swaps them in)."""

    def get(self, request):
        town = str(request.GET.get("town", ""))[:12]
        options = format_html_join("", '<option value="{}">{}</option>', village_choices(town))
        return HttpResponse(options)


@method_decorator(login_not_required, name="dispatch")
class PublicReportChallengeView(View):
    """A new challenge picture and token (the form's 换一张 link, through htmx)."""

    def get(self, request):
        return private(render(request, "hazards/public_report_challenge.html",
                              {"challenge": challenge.new_challenge()}))


@method_decorator(login_not_required, name="dispatch")
class PublicReportTrackView(View):
    """Enter the tracking code (POST: the code stays out of addresses and logs) → the report's state.

    An unknown code and a malformed one get the very same page, status 404 (no enumeration); the page never shows
    the contact, a person's name or the enterprise."""

    template_name = "hazards/public_report_track.html"

    def get(self, request):
        return private(render(request, self.template_name, {"form": TrackingForm()}))

    def post(self, request):
        form = TrackingForm(request.POST)
        answer = services_public.public_report_status(tracking_code=request.POST.get("code", ""))
        if answer is None:
            # The same blank form and message whatever was typed: nothing tells a near miss from nonsense.
            context = {"form": TrackingForm(), NOT_FOUND: True}
            return private(render(request, self.template_name, context, status=404))
        context = {"form": form, "answer": answer,
                   "code": services_public.format_tracking_code(answer.tracking_code)}
        return private(render(request, self.template_name, context))


# ---- the regulators' pages ----------------------------------------------------------------------------------------


class PublicReportQuerySetMixin:
    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).select_related("region", "region__parent")


class PublicReportListView(PublicReportQuerySetMixin, ObjectListView):
    model = PublicReport
    url_base = "hazards:publicreport"
    filterset_class = PublicReportFilterSet
    table_class = PublicReportTable
    default_order = ("-submitted_at", "-id")

    def filter_form_hook(self, form: forms.Form) -> None:
        form.fields["region"].widget = FastSelect(choices=region_choices(user=self.request.user,
                                                                          levels=("town", "village")))
        for name in ("submitted_after", "submitted_before"):
            form.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def get_extra_context(self) -> dict[str, Any]:
        # Reports come from the public form only: no 新建 button.
        return {"add_url": None}


class PublicReportDetailView(PublicReportQuerySetMixin, ObjectDetailView):
    model = PublicReport
    url_base = "hazards:publicreport"
    template_name = "hazards/publicreport_detail.html"
    detail_fields = ("tracking_code", "submitted_at", "place", "latitude", "longitude", "description",
                     "status", "decided_at", "public_reply", "reward_amount", "reward_note")

    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).select_related("hazard", "hazard__enterprise")

    def get_extra_context(self, obj: PublicReport) -> dict[str, Any]:
        user = self.request.user
        contact = obj.contact if services_public.sees_contact(user, obj) else mask_phone(obj.contact)
        hazard_visible = obj.hazard_id is not None and allows(user, VIEW, obj.hazard)
        hazard_url = None
        if hazard_visible:
            try:
                hazard_url = obj.hazard.get_absolute_url()
            except NoReverseMatch:
                # The hazard pages are another part of the app; until they answer, the hazard is named, not linked.
                hazard_url = None
        pin = None
        if obj.latitude is not None and obj.longitude is not None:
            pin = pin_map_config(latitude=obj.latitude, longitude=obj.longitude, editable=False)
        return {"contact": contact, "region_name": obj.region.full_name, "hazard_visible": hazard_visible,
                "hazard_url": hazard_url, "pin_config": pin}


class PublicReportActionView(PublicReportQuerySetMixin, ObjectActionView):
    """受理 (with the hazard to link or the enterprise of a new one), 不予受理 (reason) and 奖励, through the
    services of services_public."""

    model = PublicReport
    url_base = "hazards:publicreport"
    template_name = "hazards/publicreport_action.html"
    services = {action: services_public.public_report_transition for action in ("accept", "dismiss", "reward")}

    def get_form(self, step, data=None, files=None) -> forms.Form:
        if step.action == "accept":
            return PublicReportAcceptForm(data=data, files=files, user=self.request.user, report=self.report)
        form = super().get_form(step, data=data, files=files)
        # Dismissing and rewarding carry no files (the report's photos are the citizen's).
        form.fields.pop(ATTACHMENTS_FIELD, None)
        return form

    def get_object(self, action: str, pk: Any) -> PublicReport:
        self.report = super().get_object(action, pk)
        return self.report


__all__ = [
    "PublicReportActionView", "PublicReportChallengeView", "PublicReportDetailView", "PublicReportListView",
    "PublicReportMapView", "PublicReportTrackView", "PublicReportVillagesView", "PublicReportView",
]
