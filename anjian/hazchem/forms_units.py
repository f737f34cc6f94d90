"""Forms of hazard units (issue 9 item 2): the unit itself and its chemicals, one formset row per chemical, each with
its quantity in 吨 or 千克 (converted explicitly by the service) and, where the tables do not settle Q or β, the
assessor's numbers and their source."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import ServiceModelForm
from anjian.core.scope import VIEW
from anjian.enterprises.models import Enterprise
from anjian.hazchem.models import Chemical, HazardUnit, KeyProcess, MajorHazard, UnitChemical
from anjian.hazchem.models.units import PERSON_FIELDS

# Above this many enterprises a <select> is unusable (a town has thousands): the USCC is typed instead.
ENTERPRISE_SELECT_LIMIT = 200
TONNES, KILOGRAMS = "t", "kg"
QUANTITY_UNITS = ((TONNES, _("吨")), (KILOGRAMS, _("千克")))
EXTRA_ROWS = 3


class UnitEnterpriseField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if self.to_field_name == "uscc" and isinstance(value, str):
            value = "".join(value.split()).upper()
        return super().to_python(value)


class HazardUnitForm(ServiceModelForm):
    class Meta:
        model = HazardUnit
        fields = ["enterprise", "name", "kind", "location", "exposed_people", "key_processes"]
        field_classes = {"enterprise": UnitEnterpriseField}
        widgets = {"key_processes": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_processes"].queryset = KeyProcess.objects.order_by("number")
        self.fields["key_processes"].help_text = _("仅生产单元填写。")
        if self.instance.pk:
            # A unit stays with its enterprise (HazardUnit.editable_fields).
            del self.fields["enterprise"]
            return
        field = self.fields["enterprise"]
        field.queryset = Enterprise.objects.restrict(user, VIEW).order_by("name", "id")
        field.error_messages["invalid_choice"] = _("请选择您管辖范围内的单位（可填写统一社会信用代码）。")
        if not self.initial.get("enterprise") and getattr(user, "enterprise_id", None):
            self.initial["enterprise"] = user.enterprise_id
        if len(field.queryset[: ENTERPRISE_SELECT_LIMIT + 1]) > ENTERPRISE_SELECT_LIMIT:
            field.to_field_name = "uscc"
            field.widget = forms.TextInput(attrs={"maxlength": 18, "autocomplete": "off"})
            field.help_text = _("填写单位的统一社会信用代码。")
            chosen = str(self.initial.get("enterprise") or "")
            if chosen.isdigit():
                self.initial["enterprise"] = field.queryset.filter(pk=chosen).values_list("uscc", flat=True).first()


class UnitChemicalForm(forms.Form):
    """One chemical: typed as a catalogue name, alias or CAS (the page's script offers catalogue matches and fills
    `chemical`, the catalogue id); a blank row is skipped."""

    chemical = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("危险化学品（品名、别名或CAS号）"), required=False, max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "data-chemical-search": "1"}))
    quantity = forms.CharField(label=_("设计最大量"), required=False, max_length=40,
                               widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    quantity_unit = forms.ChoiceField(label=_("单位"), choices=QUANTITY_UNITS, initial=TONNES)
    critical_quantity_t = forms.CharField(label=_("评价确定的临界量（吨）"), required=False, max_length=40)
    beta = forms.CharField(label=_("评价确定的β"), required=False, max_length=20)
    assessor_source = forms.CharField(label=_("评价依据"), required=False, max_length=200)

    def entry(self) -> dict[str, Any] | None:
        """The service's dictionary for this row (see services_units.clean_chemical), or None for a blank row."""
        data = self.cleaned_data
        if not data.get("name") and not data.get("quantity"):
            return None
        entry: dict[str, Any] = {
            "critical_quantity_t": data.get("critical_quantity_t") or None,
            "beta": data.get("beta") or None,
            "assessor_source": data.get("assessor_source") or "",
        }
        name = (data.get("name") or "").strip()
        chemical_id = data.get("chemical")
        # The id the script picked counts only while the text still names that row (the text was edited otherwise).
        if chemical_id and Chemical.objects.filter(pk=chemical_id, name=name).exists():
            entry["chemical"] = chemical_id
        else:
            entry["name"] = name
        entry["max_quantity_kg" if data.get("quantity_unit") == KILOGRAMS else "max_quantity_t"] = data.get("quantity")
        return entry


UnitChemicalFormSet = forms.formset_factory(UnitChemicalForm, extra=EXTRA_ROWS, max_num=200, absolute_max=200)


def _plain(value: Any) -> str:
    return "" if value is None else format(value.normalize(), "f")


def initial_rows(unit: HazardUnit) -> list[dict[str, Any]]:
    if not unit.pk:
        return []
    return [{"chemical": row.chemical_id, "name": row.label, "quantity": format(row.max_quantity_t.normalize(), "f"),
             "quantity_unit": TONNES, "critical_quantity_t": _plain(row.critical_quantity_t), "beta": _plain(row.beta),
             "assessor_source": row.assessor_source}
            for row in UnitChemical.objects.filter(unit=unit).select_related("chemical").order_by("id")]


class MajorHazardForm(ServiceModelForm):
    """The 包保责任 persons of a registration; everything else is the system's."""

    class Meta:
        model = MajorHazard
        fields = list(PERSON_FIELDS)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
