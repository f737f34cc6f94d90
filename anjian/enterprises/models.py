"""The registry of supervised enterprises (生产经营单位) with licences, insurance and archive documents."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anjian.accounts.roles import Role, defaults
from anjian.core.models import ScopedModel
from anjian.core.scope import ADD, CHANGE, EXPORT, VIEW, Scope
from anjian.core.uploads import validate_upload
from anjian.core.validators import validate_date_in_range, validate_no_control_characters, validate_phone
from anjian.enterprises.choices import (
    ArchiveDocumentType,
    EnterpriseSize,
    ExpiryState,
    LicenceType,
    OperatingStatus,
    StandardizationGrade,
    SupervisionDomain,
)
from anjian.enterprises.validators import validate_latitude, validate_longitude, validate_uscc
from anjian.regions.choices import RegionLevel


class Industry(models.Model):
    """GB/T 4754-2017 国民经济行业分类: reference data loaded by `anjian load-reference`."""

    code = models.CharField(_("行业代码"), max_length=5, primary_key=True)
    name = models.CharField(_("行业名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    section = models.CharField(_("门类"), max_length=1)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("国民经济行业")
        verbose_name_plural = _("国民经济行业")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# The action of seeing personal contact data in full (masked otherwise, in lists, pages, exports and the API).
VIEW_PERSONAL = "view_personal"


def expiry_state(valid_to: dt.date | None, as_of: dt.date, warning_days: int) -> ExpiryState:
    if valid_to is None:
        return ExpiryState.VALID
    if valid_to < as_of:
        return ExpiryState.EXPIRED
    if valid_to <= as_of + dt.timedelta(days=warning_days):
        return ExpiryState.EXPIRING
    return ExpiryState.VALID


class Enterprise(ScopedModel):
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc],
        error_messages={"unique": _("该统一社会信用代码已登记。")},
    )
    name = models.CharField(_("单位名称"), max_length=200, db_index=True, validators=[validate_no_control_characters])
    legal_representative = models.CharField(
        _("法定代表人"), max_length=50, validators=[validate_no_control_characters]
    )
    safety_principal = models.CharField(_("安全负责人"), max_length=50, validators=[validate_no_control_characters])
    safety_principal_phone = models.CharField(_("安全负责人电话"), max_length=20, validators=[validate_phone])
    address = models.CharField(_("地址"), max_length=200, validators=[validate_no_control_characters])
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属村（社区）"), on_delete=models.PROTECT, related_name="enterprises",
        limit_choices_to={"level": RegionLevel.VILLAGE},
    )
    park = models.ForeignKey(
        "regions.IndustrialPark", verbose_name=_("所在园区"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="enterprises",
    )
    latitude = models.DecimalField(
        _("纬度"), max_digits=9, decimal_places=6, null=True, blank=True, validators=[validate_latitude]
    )
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True, validators=[validate_longitude]
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("国民经济行业"), on_delete=models.PROTECT, related_name="enterprises",
        db_constraint=True,
    )
    domain = models.CharField(_("行业领域"), max_length=32, choices=SupervisionDomain.choices, db_index=True)
    size = models.CharField(_("企业规模"), max_length=8, choices=EnterpriseSize.choices)
    employee_count = models.PositiveIntegerField(_("从业人数"), default=0)
    operating_status = models.CharField(
        _("经营状态"), max_length=12, choices=OperatingStatus.choices, default=OperatingStatus.OPERATING,
        db_index=True,
    )
    key_process = models.BooleanField(_("重点监管危险化工工艺"), default=False)
    key_chemical = models.BooleanField(_("重点监管危险化学品"), default=False)
    major_hazard = models.BooleanField(_("危险化学品重大危险源"), default=False)
    # The highest level (一级 = 1) among the enterprise's registered 重大危险源; kept with `major_hazard` by
    # anjian.hazchem.grading from its hazard units (issue 9 item 2), null when it has none.
    major_hazard_level = models.PositiveSmallIntegerField(_("重大危险源级别"), null=True, blank=True)
    dust_explosion = models.BooleanField(_("粉尘涉爆"), default=False)
    ammonia_refrigeration = models.BooleanField(_("涉氨制冷"), default=False)
    confined_space = models.BooleanField(_("有限空间作业"), default=False)
    small_venue = models.BooleanField(_("三小场所"), default=False)
    above_scale = models.BooleanField(_("规模以上"), default=False)
    standardization_grade = models.CharField(
        _("安全生产标准化等级"), max_length=12, choices=StandardizationGrade.choices, blank=True
    )
    standardization_expires = models.DateField(
        _("标准化有效期至"), null=True, blank=True, validators=[validate_date_in_range]
    )

    history = HistoricalRecords(excluded_fields=["created", "updated"])
    scope: ClassVar[Scope] = Scope(region_code="region__code", enterprise="pk", domain="domain")
    # Site photos and documents on the enterprise page (issue 6 item 6, anjian.core.attachments).
    attachable: ClassVar[bool] = True
    actions: ClassVar[dict[str, Any]] = {VIEW_PERSONAL: _("查看个人联系方式")}
    # Who sees the safety principal's full phone number: those who call safety principals as part of their work,
    # and the enterprise's own user (issue 2 item 5, personal data; issue 6 item 1 made it an action).
    policy: ClassVar[dict[str, frozenset[str]]] = {
        Role.CITY_ADMIN: defaults(Role.CITY_ADMIN, VIEW_PERSONAL),
        Role.CITY_SUPERVISOR: defaults(Role.CITY_SUPERVISOR, VIEW_PERSONAL),
        Role.TOWN_SUPERVISOR: defaults(Role.TOWN_SUPERVISOR, VIEW_PERSONAL),
        Role.DEPARTMENT_SUPERVISOR: defaults(Role.DEPARTMENT_SUPERVISOR, VIEW_PERSONAL),
        # An enterprise user edits its own record but cannot register or delete enterprises.
        Role.ENTERPRISE_USER: frozenset({VIEW, EXPORT, CHANGE, VIEW_PERSONAL}),
    }
    # What an enterprise's own safety manager may correct; the rest (code, name, village, domain, flags, grades) is
    # the regulator's registration data.
    editable_fields: ClassVar[dict[str, frozenset[str]]] = {
        Role.ENTERPRISE_USER: frozenset({
            "legal_representative", "safety_principal", "safety_principal_phone", "address", "latitude",
            "longitude", "employee_count",
        }),
    }

    class Meta:
        verbose_name = _("生产经营单位")
        verbose_name_plural = _("生产经营单位")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["domain", "name", "id"], name="ent_domain_name"),
            models.Index(fields=["region", "name", "id"], name="ent_region_name"),
            # A town's enterprises of one domain: without it PostgreSQL reads every row of the town's villages.
            models.Index(fields=["region", "domain", "name", "id"], name="ent_region_domain_name"),
            models.Index(fields=["major_hazard"], name="ent_major_hazard", condition=Q(major_hazard=True)),
            models.Index(fields=["small_venue"], name="ent_small_venue", condition=Q(small_venue=True)),
            models.Index(fields=["dust_explosion"], name="ent_dust", condition=Q(dust_explosion=True)),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.region_id and self.region.level != RegionLevel.VILLAGE:
            errors["region"] = _("所属区域必须是村（社区）。")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("经纬度须同时填写。")
        if self.standardization_grade and not self.standardization_expires:
            errors["standardization_expires"] = _("有标准化等级时须填写有效期。")
        if errors:
            raise ValidationError(errors)

    @property
    def flags(self) -> list[str]:
        from anjian.enterprises.choices import FLAG_FIELDS

        return [str(label) for field, label in FLAG_FIELDS.items() if getattr(self, field)]


class EnterpriseChild(ScopedModel):
    """A record that belongs to one enterprise and is scoped through it."""

    scope: ClassVar[Scope] = Scope(
        region_code="enterprise__region__code", enterprise="enterprise_id", domain="enterprise__domain"
    )
    policy: ClassVar[dict[str, frozenset[str]]] = {
        Role.ENTERPRISE_USER: frozenset({VIEW, EXPORT, ADD, CHANGE}),
    }

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.enterprise_id])


class Licence(EnterpriseChild):
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="licences")
    licence_type = models.CharField(_("许可证类型"), max_length=32, choices=LicenceType.choices)
    number = models.CharField(_("证书编号"), max_length=64, validators=[validate_no_control_characters])
    issuer = models.CharField(_("发证机关"), max_length=100, validators=[validate_no_control_characters])
    valid_from = models.DateField(_("有效期自"), validators=[validate_date_in_range])
    valid_to = models.DateField(_("有效期至"), validators=[validate_date_in_range])
    superseded = models.BooleanField(_("已被新证替代"), default=False)

    history = HistoricalRecords(excluded_fields=["created", "updated"])
    expiry_field = "valid_to"

    class Meta:
        verbose_name = _("许可证")
        verbose_name_plural = _("许可证")
        ordering = ["enterprise", "licence_type", "-valid_to"]
        indexes = [models.Index(fields=["superseded", "valid_to", "enterprise"], name="licence_expiry")]
        constraints = [
            models.UniqueConstraint(fields=["licence_type", "number"], name="licence_type_number_unique",
                                    violation_error_message=_("该类型的证书编号已登记。")),
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="licence_dates_ordered",
                                   violation_error_message=_("有效期至不能早于有效期自。")),
        ]

    def __str__(self) -> str:
        return f"{self.get_licence_type_display()} {self.number}"


class LiabilityInsurance(EnterpriseChild):
    """安全生产责任保险（安责险）."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="insurances")
    insurer = models.CharField(_("承保机构"), max_length=100, validators=[validate_no_control_characters])
    policy_number = models.CharField(_("保单号"), max_length=64, unique=True,
                                     validators=[validate_no_control_characters],
                                     error_messages={"unique": _("该保单号已登记。")})
    insured_persons = models.PositiveIntegerField(_("参保人数"), default=0)
    coverage_per_person_yuan = models.DecimalField(_("每人保额（元）"), max_digits=12, decimal_places=2, default=0)
    valid_from = models.DateField(_("保险期自"), validators=[validate_date_in_range])
    valid_to = models.DateField(_("保险期至"), validators=[validate_date_in_range])
    superseded = models.BooleanField(_("已续保替代"), default=False)

    history = HistoricalRecords(excluded_fields=["created", "updated"])
    expiry_field = "valid_to"
    entity = "insurance"

    class Meta:
        verbose_name = _("安责险")
        verbose_name_plural = _("安责险")
        ordering = ["enterprise", "-valid_to"]
        indexes = [models.Index(fields=["superseded", "valid_to", "enterprise"], name="insurance_expiry")]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")),
                                   name="insurance_dates_ordered",
                                   violation_error_message=_("保险期至不能早于保险期自。")),
        ]

    def __str__(self) -> str:
        return f"{self.insurer} {self.policy_number}"


def archive_upload_to(instance: ArchiveDocument, filename: str) -> str:
    return f"archives/{instance.enterprise_id}/{filename}"


class ArchiveDocument(EnterpriseChild):
    """安全生产档案: a typed upload with an optional validity."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="archives")
    doc_type = models.CharField(_("档案类型"), max_length=32, choices=ArchiveDocumentType.choices)
    title = models.CharField(_("标题"), max_length=200, validators=[validate_no_control_characters])
    file = models.FileField(_("文件"), upload_to=archive_upload_to, validators=[validate_upload], max_length=255)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True, validators=[validate_date_in_range])
    superseded = models.BooleanField(_("已被新版本替代"), default=False)
    note = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])
    expiry_field = "valid_to"
    entity = "archive"

    class Meta:
        verbose_name = _("安全生产档案")
        verbose_name_plural = _("安全生产档案")
        ordering = ["enterprise", "doc_type", "-created"]
        indexes = [models.Index(fields=["superseded", "valid_to", "enterprise"], name="archive_expiry")]

    def __str__(self) -> str:
        return self.title
