"""The hazchem app's models, one module per part of issue 9 so each part keeps its own file: the catalogue (item 1)
and the hazard units with their major hazard registration (item 2)."""

from anjian.hazchem.models.catalogue import LIST_SEPARATOR, Chemical, KeyProcess, catalogue_policy, split_list
from anjian.hazchem.models.units import HazardUnit, MajorHazard, UnitChemical, UnitGrading, UnitKind

__all__ = [
    "LIST_SEPARATOR",
    "Chemical",
    "HazardUnit",
    "KeyProcess",
    "MajorHazard",
    "UnitChemical",
    "UnitGrading",
    "UnitKind",
    "catalogue_policy",
    "split_list",
]
