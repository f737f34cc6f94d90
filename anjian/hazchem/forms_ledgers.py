"""Forms of the ledgers and transport (issue 9 item 3). They check shape (a number, a unit of measure, a date); the
services in services_ledgers decide the rules (balance, unit, certificates) and their refusals land on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import ServiceModelForm
from anjian.core.scope import CHANGE
from anjian.core.views import FastSelect
from anjian.enterprises.models import Enterprise
from anjian.hazchem.models import Chemical, HazardUnit, HazmatVehicle, MovementKind, StockMovement, Trip
from anjian.hazchem.services_ledgers import tonnes

MASS_UNITS = (("t", _("吨")), ("kg", _("千克")))
# Kinds a person picks; 冲销 is reached from the line it reverses (it copies that line).
RECORDED_KINDS = [(value, label) for value, label in MovementKind.choices if value != MovementKind.REVERSAL]


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LedgerChildForm(ServiceModelForm):
    """The enterprise among those the user may write this record for; fixed once chosen (?enterprise= or the row's
    own). The catalogue is large, so chemicals are typed in a searchable select (filters.js)."""

    def __init__(self, *args: Any, user: Any, enterprise: Enterprise | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["enterprise"]
        reachable = Enterprise.objects.restrict(user, CHANGE).order_by("name", "id")
        if enterprise is None and not self.instance.pk:
            # An enterprise's own people reach one enterprise: it is theirs, not a choice to make on every form.
            only = list(reachable[:2])
            enterprise = only[0] if len(only) == 1 else None
        if self.instance.pk or enterprise is not None:
            fixed = enterprise or self.instance.enterprise
            field.queryset = Enterprise.objects.filter(pk=fixed.pk)
            # ModelForm's initial (the instance's values: None for a new row) wins over the field's own.
            self.initial["enterprise"] = field.initial = fixed.pk
            field.disabled = True
        else:
            field.queryset = reachable
        for form_field in self.fields.values():
            if isinstance(form_field, forms.DateField):
                form_field.widget = date_widget()
        if "chemical" in self.fields:
            self.fields["chemical"].queryset = Chemical.objects.order_by("name", "sub_row")
            # 2,800 catalogue rows: options joined in Python (FastSelect); the page makes the select searchable.
            self.fields["chemical"].widget = FastSelect(choices=self.fields["chemical"].choices)


class MovementForm(LedgerChildForm):
    quantity_t = forms.CharField(label=_("数量"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    quantity_unit = forms.ChoiceField(label=_("计量单位"), choices=MASS_UNITS, initial="t")
    kind = forms.ChoiceField(label=_("类型"), choices=RECORDED_KINDS)
    occurred_at = forms.DateTimeField(label=_("发生时间"), widget=datetime_widget(),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])

    class Meta:
        model = StockMovement
        fields = ["enterprise", "chemical", "unit", "kind", "quantity_t", "occurred_at", "counterparty",
                  "document_number", "note"]
        help_texts = {"unit": _("储存或使用该危险化学品的单元；不选则计入单元外库存。")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enterprise_id = self.fields["enterprise"].initial
        units = HazardUnit.objects.restrict(self.user).order_by("name")
        self.fields["unit"].queryset = units.filter(enterprise_id=enterprise_id) if enterprise_id else units
        self.order_fields(["enterprise", "chemical", "unit", "kind", "quantity_t", "quantity_unit", "occurred_at"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        raw = data.get("quantity_t")
        if raw is not None and "quantity_unit" in data:
            try:
                data["quantity_t"] = tonnes(raw, data["quantity_unit"])
            except ValidationError as error:
                self.add_error("quantity_t", error)
        return data


class ReversalForm(forms.Form):
    note = forms.CharField(label=_("冲销说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("说明原记录错在哪里，例如“数量录错，应为1.5吨”。"))


class VehicleForm(LedgerChildForm):
    class Meta:
        model = HazmatVehicle
        fields = ["enterprise", "plate", "kind", "permit_number", "permit_expires", "capacity_t", "note"]


class TripForm(LedgerChildForm):
    departure_at = forms.DateTimeField(label=_("计划起运时间"), widget=datetime_widget(),
                                       input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])

    class Meta:
        model = Trip
        fields = ["enterprise", "vehicle", "chemical", "quantity_t", "origin", "destination", "departure_at",
                  "driver_name", "driver_certificate", "driver_certificate_expires", "escort_name",
                  "escort_certificate", "escort_certificate_expires", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enterprise_id = self.fields["enterprise"].initial
        vehicles = HazmatVehicle.objects.restrict(self.user).order_by("plate")
        self.fields["vehicle"].queryset = vehicles.filter(enterprise_id=enterprise_id) if enterprise_id else vehicles
