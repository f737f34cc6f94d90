"""Forms of the registry. Every choice list is limited to what the user may reach (the service re-checks)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import ServiceModelForm
from anjian.core.scope import CHANGE, VIEW
from anjian.core.uploads import validate_upload
from anjian.core.validators import EARLIEST_DATE, LATEST_DATE
from anjian.enterprises.models import ArchiveDocument, Enterprise, Industry, LiabilityInsurance, Licence
from anjian.regions.models import IndustrialPark, Region

# Above this many enterprises a <select> is unusable (the city has 200,000): type the USCC instead.
ENTERPRISE_SELECT_LIMIT = 300


def date_widget() -> forms.DateInput:
    # The browser's date picker posts ISO dates; render ISO so the picker shows the stored value. Its bounds are the
    # model's (validate_date_in_range), so the picker offers no year the save would refuse.
    bounds = {"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
    return forms.DateInput(attrs={"type": "date", **bounds}, format="%Y-%m-%d")


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        town = obj.parent.name if obj.parent_id else ""
        return f"{town} / {obj.name}" if town else obj.name


class EnterpriseForm(ServiceModelForm):
    region = VillageChoiceField(queryset=Region.objects.none(), label=_("所属村（社区）"),
                                error_messages={"invalid_choice": _("请选择您管辖范围内的村（社区）。")})
    industry = forms.ModelChoiceField(
        queryset=Industry.objects.filter(level=4), to_field_name="code", label=_("国民经济行业代码"),
        widget=forms.TextInput(attrs={"list": "industry-codes", "inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("GB/T 4754-2017 小类代码（4位），可输入后从列表选择。"),
        error_messages={"invalid_choice": _("未知的国民经济行业代码，请填写 GB/T 4754-2017 的4位小类代码。")},
    )

    class Meta:
        model = Enterprise
        fields = [
            "uscc", "name", "legal_representative", "safety_principal", "safety_principal_phone", "address",
            "region", "park", "latitude", "longitude", "industry", "domain", "size", "employee_count",
            "operating_status", "key_process", "key_chemical", "major_hazard", "dust_explosion",
            "ammonia_refrigeration", "confined_space", "small_venue", "above_scale", "standardization_grade",
            "standardization_expires",
        ]
        widgets = {
            "standardization_expires": date_widget(),
            "latitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "uscc": forms.TextInput(attrs={"maxlength": 18, "autocapitalize": "characters", "spellcheck": "false"}),
            "safety_principal_phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }
        help_texts = {
            "uscc": _("18位，末位为校验码（GB 32100-2015）。"),
            "latitude": _("WGS84，东莞市范围：北纬 22.6°–23.2°。"),
            "longitude": _("WGS84，东莞市范围：东经 113.5°–114.3°。"),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        current_region = self.instance.region_id if self.instance.pk else None
        current_park = self.instance.park_id if self.instance.pk else None
        visible_villages = Region.objects.restrict(user, VIEW).filter(level="village").values("pk")
        # The record's own village stays selectable (an enterprise user sees no region rows at all).
        self.fields["region"].queryset = (
            Region.objects.filter(level="village")
            .filter(Q(pk__in=visible_villages) | Q(pk=current_region))
            .select_related("parent")
            .order_by("code")
        )
        visible_parks = IndustrialPark.objects.restrict(user, VIEW).values("pk")
        self.fields["park"].queryset = IndustrialPark.objects.filter(Q(pk__in=visible_parks) | Q(pk=current_park))
        self.fields["park"].error_messages["invalid_choice"] = _("请选择您可见的园区。")
        self.fields["uscc"].error_messages["required"] = _("请填写统一社会信用代码。")
        editable = user.changeable_fields(Enterprise) if self.instance.pk and hasattr(user, "changeable_fields") \
            else None
        if editable is not None:
            # E.g. the enterprise corrects its contact data; the rest is the regulator's registration (the
            # service refuses it too). Disabled fields keep their stored value whatever is posted.
            for name, field in self.fields.items():
                if name not in editable:
                    field.disabled = True

    def clean_uscc(self) -> str:
        # People paste codes with spaces or in lower case; the check character is validated by the model.
        return "".join(self.cleaned_data["uscc"].split()).upper()


class EnterpriseChildForm(ServiceModelForm):
    """The enterprise is chosen among those the user may change; fixed once the record exists."""

    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(), label=_("单位"),
        error_messages={"invalid_choice": _("请选择您管辖范围内的单位（可填写统一社会信用代码）。")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["enterprise"]
        choices = Enterprise.objects.restrict(user, CHANGE).order_by("name", "id")
        field.queryset = choices
        if self.instance.pk:
            field.disabled = True
            field.queryset = Enterprise.objects.filter(pk=self.instance.enterprise_id)
        elif len(choices[: ENTERPRISE_SELECT_LIMIT + 1]) > ENTERPRISE_SELECT_LIMIT:
            # City-wide users: a text box for the USCC instead of a 200,000-option list.
            field.to_field_name = "uscc"
            field.widget = forms.TextInput(attrs={"maxlength": 18, "autocomplete": "off"})
            field.help_text = _("填写单位的统一社会信用代码。")
            initial = self.initial.get("enterprise")
            if isinstance(initial, Enterprise):
                self.initial["enterprise"] = initial.uscc
        for form_field in self.fields.values():
            if isinstance(form_field, forms.DateField):
                form_field.widget = date_widget()


class LicenceForm(EnterpriseChildForm):
    class Meta:
        model = Licence
        fields = ["enterprise", "licence_type", "number", "issuer", "valid_from", "valid_to"]


class LiabilityInsuranceForm(EnterpriseChildForm):
    class Meta:
        model = LiabilityInsurance
        fields = ["enterprise", "insurer", "policy_number", "insured_persons", "coverage_per_person_yuan",
                  "valid_from", "valid_to"]


class ArchiveDocumentForm(EnterpriseChildForm):
    class Meta:
        model = ArchiveDocument
        fields = ["enterprise", "doc_type", "title", "file", "valid_to", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"file": _("PDF、图片、Word 或 Excel，不超过 20 MB；可执行文件一律拒收。")}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # Only a new upload needs checking; an unchanged file was checked when it came in.
        if upload is not None and hasattr(upload, "content_type"):
            validate_upload(upload)
        return upload
