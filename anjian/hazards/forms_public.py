"""Forms of public reports (issue 8 item 6): the citizen's report and tracking forms, the regulators' accept form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core.forms import MultipleFileField, MultipleFileInput
from anjian.core.views import FastSelect
from anjian.core.workflow import REASON_FIELD, REASON_MAX_LENGTH
from anjian.enterprises.models import Enterprise
from anjian.hazards import challenge, services_public
from anjian.hazards.models import Hazard, PublicReport
from anjian.regions.choices import RegionLevel

# The honeypot: a field people never see (hidden by the page's CSS and from screen readers) and form-filling
# bots fill in. Named like a field a bot expects.
HONEYPOT_FIELD = "website"


def town_choices() -> list[tuple[str, str]]:
    towns = services_public.public_regions().filter(level=RegionLevel.TOWN).order_by("code")
    return [("", _("请选择镇街（园区）")), *towns.values_list("code", "name")]


def village_choices(town_code: str) -> list[tuple[str, str]]:
    """The villages of a town (code → name), after a first choice meaning "somewhere in the town"."""
    choices = [("", _("不确定 / 不选择村（社区）"))]
    if town_code:
        villages = services_public.public_regions().filter(level=RegionLevel.VILLAGE, parent__code=town_code)
        choices.extend(villages.order_by("code").values_list("code", "name"))
    return choices


class PublicReportForm(forms.Form):
    """The report a citizen files without an account: place, what was seen, photos, an optional contact, and the
    challenge (a picture of a sum) plus the honeypot."""

    town = forms.ChoiceField(label=gettext_lazy("所在镇街（园区）"))
    # Its choices are the chosen town's villages: a village of another town is not a valid choice.
    village = forms.ChoiceField(label=gettext_lazy("所在村（社区）"), required=False)
    place = forms.CharField(label=gettext_lazy("具体地点"), max_length=200, required=False,
                            help_text=gettext_lazy("如路名门牌、厂名、车间或楼层，便于核查。"))
    # The map pin (issue 8 item 6), filled by the page's map (static/hazards/report_pin.js); without JavaScript the
    # form simply has none.
    latitude = forms.DecimalField(label=gettext_lazy("地图标记（纬度）"), max_digits=9, decimal_places=6,
                                  required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(label=gettext_lazy("地图标记（经度）"), max_digits=9, decimal_places=6,
                                   required=False, widget=forms.HiddenInput)
    description = forms.CharField(
        label=gettext_lazy("举报内容"), max_length=services_public.DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("请描述您看到的安全隐患或违法行为：什么情况、在哪里、何时发现。"),
    )
    photos = MultipleFileField(
        label=gettext_lazy("现场照片"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    contact = forms.CharField(
        label=gettext_lazy("联系电话"), max_length=50, required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy("选填，仅供处理人员核实情况，不会公开；可匿名举报。"),
    )
    challenge_token = forms.CharField(widget=forms.HiddenInput, required=False)
    challenge_answer = forms.CharField(
        label=gettext_lazy("验证码"), max_length=8, required=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy("请填写图中算式的结果。"),
    )
    website = forms.CharField(label=gettext_lazy("网址（请勿填写）"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In the request's language: a lazy string formatted at import time would be fixed in the default one.
        limit = {"count": services_public.MAX_PHOTOS}
        self.fields["photos"].help_text = _("选填，最多 %(count)d 张，JPG 或 PNG 格式。") % limit
        self.fields["town"].choices = town_choices()
        # A pin alone places the report only where real outlines exist; otherwise the town stays required.
        self.pin_places_report = services_public.pins_find_regions()
        self.fields["town"].required = not self.pin_places_report
        if self.pin_places_report:
            self.fields["town"].help_text = _("选择镇街，或在下方地图上标出位置。")
        town = str(self.data.get("town", "")) if self.is_bound else ""
        self.fields["village"].choices = village_choices(town)
        # htmx fills the village list when the town changes (no page script: the CSP allows none inline).
        self.fields["town"].widget.attrs.update({
            "hx-get": reverse("hazards:public_report_villages"), "hx-target": "#id_village",
            "hx-trigger": "change", "hx-swap": "innerHTML",
        })

    def clean_contact(self) -> str:
        value = self.cleaned_data.get("contact", "").strip()
        if value:
            PublicReport._meta.get_field("contact").run_validators(value)
        return value

    def clean_photos(self) -> list[Any]:
        try:
            return services_public.check_photos(self.cleaned_data.get("photos") or [])
        except ValidationError as error:
            raise ValidationError(error.message_dict[services_public.PHOTOS_FIELD]) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get(HONEYPOT_FIELD):
            raise ValidationError(_("提交未通过验证，请刷新页面后重新填写。"))
        self.check_place(data)
        # The challenge is spent only by an otherwise complete form: a typo elsewhere does not use it up (the page
        # shows a new one anyway).
        if not self.errors and not challenge.check(data.get("challenge_token", ""), data.get("challenge_answer", "")):
            self.add_error("challenge_answer", _("验证码错误或已过期，请填写新图中算式的结果。"))
        return data

    def check_place(self, data: dict[str, Any]) -> None:
        """The pin inside Dongguan, and a town chosen unless the pin finds one (the same rules as the service's, here
        so that a wrong place does not spend the challenge)."""
        try:
            latitude, longitude = services_public.check_pin(data.get("latitude"), data.get("longitude"))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
            return
        if data.get("town") or "town" in self.errors:
            return
        if latitude is None:
            self.add_error("town", _("请选择镇街（园区），或在地图上标出位置。"))
        elif services_public.region_at_pin(latitude=latitude, longitude=longitude) is None:
            self.add_error("town", _("无法根据地图标记确定所在镇街，请选择镇街（园区）。"))

    @property
    def region_code(self) -> str:
        """The village or town chosen; empty when the pin is to place the report."""
        return self.cleaned_data.get("village") or self.cleaned_data.get("town") or ""


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("查询码"), max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "placeholder": "XXXX-XXXX-XXXX"}),
        help_text=gettext_lazy("提交举报后获得的 12 位查询码，大小写均可。"),
    )


class PublicReportAcceptForm(forms.Form):
    """受理: link a hazard already recorded in the report's town, or record a new one at an enterprise there."""

    hazard = forms.ModelChoiceField(
        label=gettext_lazy("关联已有隐患"), queryset=Hazard.objects.none(), required=False,
        help_text=gettext_lazy("举报所在镇街中您可查看、尚未销号的隐患。与“新建隐患的企业”二选一。"),
    )
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("新建隐患的企业"), queryset=Enterprise.objects.none(), required=False,
        help_text=gettext_lazy("在举报所在镇街的该企业登记一条来源为“群众举报”的隐患。"),
    )
    description = forms.CharField(
        label=gettext_lazy("隐患描述"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("新建隐患时使用，默认为举报内容。企业将看到此描述，请删去可能暴露举报人身份的内容。"),
    )
    place = forms.CharField(label=gettext_lazy("隐患部位"), max_length=200, required=False)
    copy_photos = forms.BooleanField(
        label=gettext_lazy("将举报照片附到新建的隐患上"), required=False, initial=True,
        help_text=gettext_lazy("企业可看到隐患的照片；照片可能暴露举报人位置时请取消。"),
    )
    public_reply = forms.CharField(
        label=gettext_lazy("处理答复"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("举报人凭查询码可看到此答复，请勿写入姓名、电话等个人信息。"),
    )
    reason = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, report: PublicReport, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"description": report.description, "place": report.place})
        super().__init__(*args, **kwargs)
        hazards = services_public.hazards_to_link(actor=user, report=report)
        enterprises = services_public.enterprises_for_new_hazard(actor=user, report=report).order_by("name", "id")
        self.fields["hazard"].queryset = hazards
        self.fields["enterprise"].queryset = enterprises
        # A town has thousands of enterprises: options joined in Python (FastSelect), searchable with Tom Select.
        self.fields["hazard"].widget = FastSelect(choices=[("", "—"), *(
            (hazard.pk, f"#{hazard.pk} {hazard.enterprise.name} · {hazard.description[:30]}")
            for hazard in hazards.order_by("-found_at", "-id")
        )], attrs={"data-searchable": ""})
        self.fields["enterprise"].widget = FastSelect(choices=[("", "—"), *enterprises.values_list("pk", "name")],
                                                      attrs={"data-searchable": ""})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and bool(data.get("hazard")) == bool(data.get("enterprise")):
            raise ValidationError(_("请选择已有隐患，或选择企业以新建隐患（二选一）。"))
        return data


__all__ = ["HONEYPOT_FIELD", "REASON_FIELD", "PublicReportAcceptForm", "PublicReportForm", "TrackingForm"]
