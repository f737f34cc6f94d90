"""Forms of risk units, control measures, assessments and measure checks (issue 9 item 4). Choices are limited to what
the user may change; the services validate again what they save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import ServiceModelForm
from anjian.core.scope import CHANGE
from anjian.enterprises.models import Enterprise
from anjian.risk.choices import AssessmentMethod, CheckResult
from anjian.risk.models import ControlMeasure, RiskUnit
from anjian.risk.services import NOTE_MAX_LENGTH
from anjian.standards import lec

# Above this many enterprises in reach, the enterprise is typed by its USCC instead of picked from a list.
ENTERPRISE_SELECT_LIMIT = 200


def _table_choices(table: dict) -> list[tuple[str, str]]:
    return [("", "—")] + [(str(value), f"{value}　{meaning}") for value, meaning in table.items()]


class RiskUnitForm(ServiceModelForm):
    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(), label=_("单位"),
        error_messages={"invalid_choice": _("请选择您管辖范围内的单位（可填写统一社会信用代码）。")},
    )

    class Meta:
        model = RiskUnit
        fields = ["enterprise", "name", "kind", "location", "control_level", "responsible_person", "hazard_factors",
                  "accident_types", "emergency_measures", "emergency_phone", "warning_signs"]
        widgets = {"hazard_factors": forms.Textarea(attrs={"rows": 3}),
                   "emergency_measures": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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


class ControlMeasureForm(ServiceModelForm):
    class Meta:
        model = ControlMeasure
        fields = ["unit", "kind", "description", "level", "responsible", "check_cycle", "check_content"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.error_messages["invalid_choice"] = _("请选择您可以修改的风险点。")
        if self.instance.pk:
            field.disabled = True
            field.queryset = RiskUnit.objects.filter(pk=self.instance.unit_id)
        else:
            field.queryset = RiskUnit.objects.restrict(user, CHANGE).select_related("enterprise")
            # A measure is added from its unit's page (?unit=<id>): the unit is fixed, not picked from a long list.
            if self.initial.get("unit") is not None:
                field.widget = forms.HiddenInput()


class AssessForm(forms.Form):
    """One assessment. LEC takes L, E, C from the tables; the risk matrix L and S from 1 to 5."""

    method = forms.ChoiceField(label=_("评价方法"), choices=AssessmentMethod.choices, initial=AssessmentMethod.LEC)
    l_lec = forms.ChoiceField(label=_("可能性L（LEC）"), required=False, choices=_table_choices(lec.L_VALUES))
    e = forms.ChoiceField(label=_("暴露频繁程度E"), required=False, choices=_table_choices(lec.E_VALUES))
    c = forms.ChoiceField(label=_("后果C"), required=False, choices=_table_choices(lec.C_VALUES))
    l_ls = forms.TypedChoiceField(label=_("可能性L（风险矩阵）"), required=False, coerce=int, empty_value=None,
                                  choices=[("", "—")] + [(str(n), str(n)) for n in range(1, 6)])
    s = forms.TypedChoiceField(label=_("严重性S"), required=False, coerce=int, empty_value=None,
                               choices=[("", "—")] + [(str(n), str(n)) for n in range(1, 6)])
    assessed_on = forms.DateField(label=_("评估日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("空白为今天。"))
    assessor_name = forms.CharField(label=_("评估人"), required=False, max_length=50,
                                    help_text=_("空白为您本人。"))
    reason = forms.CharField(label=_("说明"), required=False, max_length=500)

    def inputs(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data["method"] == AssessmentMethod.LEC:
            return {"l": data.get("l_lec"), "e": data.get("e"), "c": data.get("c")}
        return {"l": data.get("l_ls"), "s": data.get("s")}


# The service names the factor it refuses; the form shows it on the right field.
ASSESS_FIELDS = {"LEC": {"l": "l_lec", "e": "e", "c": "c"}, "LS": {"l": "l_ls", "s": "s"}}


class MeasureCheckForm(forms.Form):
    result = forms.ChoiceField(label=_("检查结果"), choices=CheckResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("说明"), required=False, max_length=NOTE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}), help_text=_("未落实时必填，将作为隐患上报。"))
    place = forms.CharField(label=_("隐患部位"), required=False, max_length=200,
                            help_text=_("空白为风险点的位置。"))
