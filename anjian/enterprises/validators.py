from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Dongguan's extent with a margin (issue 2, "Bad input"): 22.6–23.2 N, 113.5–114.3 E.
LATITUDE_RANGE = (Decimal("22.6"), Decimal("23.2"))
LONGITUDE_RANGE = (Decimal("113.5"), Decimal("114.3"))


def validate_uscc(value: str) -> None:
    """GB 32100-2015 check (one implementation: anjian.standards.uscc)."""
    from anjian.standards import StandardsError, uscc

    try:
        normalized = uscc.validate(value)
    except StandardsError as error:
        raise ValidationError(str(error), code="uscc") from error
    if normalized != value:
        raise ValidationError(_("统一社会信用代码须为18位大写字母或数字。"), code="uscc_case")


def validate_latitude(value: Decimal) -> None:
    if value is not None and not LATITUDE_RANGE[0] <= value <= LATITUDE_RANGE[1]:
        raise ValidationError(
            _("纬度 %(value)s 不在东莞市范围内（北纬 22.6°–23.2°）。") % {"value": value}, code="outside_city"
        )


def validate_longitude(value: Decimal) -> None:
    if value is not None and not LONGITUDE_RANGE[0] <= value <= LONGITUDE_RANGE[1]:
        raise ValidationError(
            _("经度 %(value)s 不在东莞市范围内（东经 113.5°–114.3°）。") % {"value": value}, code="outside_city"
        )
