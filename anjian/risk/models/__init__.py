"""The risk app's models, one module per part of issue 9: risk units, assessments and control measures (item 4),
enterprise and region colours (item 5)."""

from anjian.risk.models.colours import EnterpriseColour, RegionColour
from anjian.risk.models.measures import ControlMeasure, MeasureCheck
from anjian.risk.models.units import RiskAssessment, RiskUnit

__all__ = ["ControlMeasure", "EnterpriseColour", "MeasureCheck", "RegionColour", "RiskAssessment", "RiskUnit"]
