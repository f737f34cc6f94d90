"""The risk app's models, one module per part of issue 9: risk units and their assessments (item 4)."""

from anjian.risk.models.colours import EnterpriseColour, RegionColour
from anjian.risk.models.units import RiskAssessment, RiskUnit

__all__ = ["EnterpriseColour", "RegionColour", "RiskAssessment", "RiskUnit"]
