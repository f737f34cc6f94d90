"""The hazchem app's models, one module per part of issue 9 so each part keeps its own file: the catalogue (item 1)
the hazard units with their major hazard registration (item 2) and the ledgers and transport (item 3)."""

from anjian.hazchem.models.catalogue import LIST_SEPARATOR, Chemical, KeyProcess, catalogue_policy, split_list
from anjian.hazchem.models.ledgers import (
    HazmatVehicle,
    MovementKind,
    StockBalance,
    StockMovement,
    Trip,
    VehicleKind,
)
from anjian.hazchem.models.units import HazardUnit, MajorHazard, UnitChemical, UnitGrading, UnitKind

__all__ = [
    "LIST_SEPARATOR",
    "Chemical",
    "HazardUnit",
    "HazmatVehicle",
    "KeyProcess",
    "MajorHazard",
    "MovementKind",
    "StockBalance",
    "StockMovement",
    "Trip",
    "UnitChemical",
    "UnitGrading",
    "UnitKind",
    "VehicleKind",
    "catalogue_policy",
    "split_list",
]
