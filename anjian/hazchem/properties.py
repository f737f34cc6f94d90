"""Physical properties of a catalogue chemical by CAS number, from the `chemicals` package (issue 9 item 1: "physical
properties for the consequence models come from the `chemicals` package by CAS, not from hand-typed tables").

`physical_data(cas)` answers SI values for the consequence models (molar mass, boiling point, critical point,
flammability limits, heat of combustion), each with the data source `chemicals` took it from; `shown_properties`
turns them into the rows the chemical page and the API show, in the units Chinese safety data sheets use (°C, MPa,
vol%, MJ/kg). Nothing is stored: the package carries the data files, and answers are cached per CAS number. The
package (with pandas and scipy) takes a few seconds to load its tables, so it is imported on first use, never at
start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.translation import gettext_lazy as _

KELVIN_AT_ZERO_CELSIUS = 273.15


@dataclass(frozen=True)
class Value:
    value: float
    source: str


@dataclass(frozen=True)
class PhysicalData:
    """SI values: molar mass kg/mol; temperatures K; pressure Pa; flammability limits as volume fractions; heats of
    combustion J/mol (ideal-gas basis, 25 °C); None where the package has no value."""

    cas: str
    name: str
    formula: str
    molar_mass: float
    boiling_point: Value | None
    melting_point: Value | None
    critical_temperature: Value | None
    critical_pressure: Value | None
    acentric_factor: Value | None
    flash_point: Value | None
    autoignition_temperature: Value | None
    lower_flammability_limit: Value | None
    upper_flammability_limit: Value | None
    heat_of_formation_gas: Value | None
    higher_heating_value: Value | None
    lower_heating_value: Value | None


def _first(method_names: Callable[..., Iterable[str]], getter: Callable[..., Any], **kwargs: Any) -> Value | None:
    """The package's default choice of data source, named, so the page can say where a number comes from."""
    methods = list(method_names(**kwargs))
    if not methods:
        return None
    value = getter(**kwargs, method=methods[0])
    return None if value is None else Value(float(value), str(methods[0]))


@cache
def physical_data(cas: str) -> PhysicalData | None:
    """What `chemicals` knows of `cas`; None for a CAS number it does not know (mixtures, many salts)."""
    import chemicals
    from chemicals import combustion
    from chemicals.elements import simple_formula_parser
    from chemicals.identifiers import search_chemical

    try:
        metadata = search_chemical(cas)
    except ValueError:
        return None
    flammable = _first(chemicals.LFL_methods, chemicals.LFL, CASRN=cas)
    formation = _first(chemicals.Hfg_methods, chemicals.Hfg, CASRN=cas)
    higher = lower = None
    if flammable is not None and formation is not None:
        # Heat of combustion from the formula's combustion products and the heat of formation (the package's
        # HHV_stoichiometry), only for what burns: a flammability limit says it does.
        products = combustion.combustion_stoichiometry(simple_formula_parser(metadata.formula))
        hhv = -combustion.HHV_stoichiometry(products, formation.value)
        lhv = -combustion.LHV_from_HHV(-hhv, products.get("H2O", 0))
        source = f"HHV_stoichiometry ({formation.source})"
        higher, lower = Value(hhv, source), Value(lhv, source)
    return PhysicalData(
        cas=cas,
        name=metadata.common_name,
        formula=metadata.formula,
        molar_mass=metadata.MW / 1000,
        boiling_point=_first(chemicals.Tb_methods, chemicals.Tb, CASRN=cas),
        melting_point=_first(chemicals.Tm_methods, chemicals.Tm, CASRN=cas),
        critical_temperature=_first(chemicals.Tc_methods, chemicals.Tc, CASRN=cas),
        critical_pressure=_first(chemicals.Pc_methods, chemicals.Pc, CASRN=cas),
        acentric_factor=_first(chemicals.omega_methods, chemicals.omega, CASRN=cas),
        flash_point=_first(chemicals.T_flash_methods, chemicals.T_flash, CASRN=cas),
        autoignition_temperature=_first(chemicals.T_autoignition_methods, chemicals.T_autoignition, CASRN=cas),
        lower_flammability_limit=flammable,
        upper_flammability_limit=_first(chemicals.UFL_methods, chemicals.UFL, CASRN=cas),
        heat_of_formation_gas=formation,
        higher_heating_value=higher,
        lower_heating_value=lower,
    )


def data_for(cas_numbers: Iterable[str]) -> PhysicalData | None:
    """The first of a catalogue row's CAS numbers that the package knows."""
    for cas in cas_numbers:
        found = physical_data(cas.strip())
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class Shown:
    key: str
    label: str
    value: float
    unit: str
    source: str


def _celsius(kelvin: float) -> float:
    return round(kelvin - KELVIN_AT_ZERO_CELSIUS, 2)


def shown_properties(data: PhysicalData) -> list[Shown]:
    """The rows of 理化特性 in the units of a Chinese safety data sheet."""
    rows = [Shown("molar_mass", str(_("分子量")), round(data.molar_mass * 1000, 3), "g/mol", "chemicals")]
    per_kg = 1 / data.molar_mass / 1e6  # J/mol → MJ/kg
    conversions: list[tuple[str, Any, Value | None, Callable[[float], float], str]] = [
        ("boiling_point", _("沸点"), data.boiling_point, _celsius, "°C"),
        ("melting_point", _("熔点"), data.melting_point, _celsius, "°C"),
        ("critical_temperature", _("临界温度"), data.critical_temperature, _celsius, "°C"),
        ("critical_pressure", _("临界压力"), data.critical_pressure, lambda pa: round(pa / 1e6, 4), "MPa"),
        ("acentric_factor", _("偏心因子"), data.acentric_factor, lambda value: round(value, 4), ""),
        ("flash_point", _("闪点"), data.flash_point, _celsius, "°C"),
        ("autoignition_temperature", _("自燃温度"), data.autoignition_temperature, _celsius, "°C"),
        ("lower_flammability_limit", _("爆炸下限"), data.lower_flammability_limit,
         lambda fraction: round(fraction * 100, 2), "%(V/V)"),
        ("upper_flammability_limit", _("爆炸上限"), data.upper_flammability_limit,
         lambda fraction: round(fraction * 100, 2), "%(V/V)"),
        ("higher_heating_value", _("高热值（气态，25 °C）"), data.higher_heating_value,
         lambda joules: round(joules * per_kg, 3), "MJ/kg"),
        ("lower_heating_value", _("低热值（气态，25 °C）"), data.lower_heating_value,
         lambda joules: round(joules * per_kg, 3), "MJ/kg"),
    ]
    for key, label, found, convert, unit in conversions:
        if found is not None:
            rows.append(Shown(key, str(label), convert(found.value), unit, found.source))
    return rows
