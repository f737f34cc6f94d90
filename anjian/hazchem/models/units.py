"""Hazard units and major hazard installations (issue 9 item 2): an enterprise's production and storage units
(GB 18218-2018 3.2 生产单元 / 储存单元) with the chemicals each holds at most, their identification and grading
(kept on the unit by `anjian.hazchem.grading` on every change) and, for a unit found major, its registration as a
重大危险源 (《危险化学品重大危险源监督管理暂行规定》, 安监总局令第40号: 登记建档, 包保责任, 每三年评估)."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anjian.accounts.roles import Role, defaults
from anjian.core.scope import ADD, DELETE
from anjian.core.validators import validate_no_control_characters, validate_phone
from anjian.enterprises.models import EnterpriseChild

# Quantities in tonnes to 0.1 kg: GB 18218 compares q with Q in tonnes (Table 1 goes down to 0.1 t).
QUANTITY_DIGITS = 16
QUANTITY_PLACES = 4


class UnitKind(models.TextChoices):
    """GB 18218-2018 3.2: a unit is a production unit (生产单元) or a storage unit (储存单元)."""

    STORAGE = "storage", _("储存单元")
    PRODUCTION = "production", _("生产单元")


class UnitGrading(models.TextChoices):
    """How far the unit's working got. A number is never guessed: a chemical without a Q (not in Table 1, no hazard
    symbol, no assessor's Q) leaves S open; one without a β (not in Table 3, no symbol, no assessor's β) leaves R
    and the level open (issue 9 item 2: "needs hazard symbol or β")."""

    EMPTY = "empty", _("未填危险化学品")
    GRADED = "graded", _("已辨识分级")
    NEEDS_BETA = "needs_beta", _("需补充危险性类别符号或β")
    NEEDS_SYMBOL = "needs_symbol", _("需补充危险性类别符号或临界量")


class HazardUnit(EnterpriseChild):
    """One production or storage unit of an enterprise and its latest GB 18218 working."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="hazard_units")
    name = models.CharField(_("单元名称"), max_length=100, validators=[validate_no_control_characters])
    kind = models.CharField(_("单元类型"), max_length=12, choices=UnitKind.choices)
    location = models.CharField(_("位置"), max_length=200, blank=True, validators=[validate_no_control_characters])
    # GB 18218-2018 4.3 and Table 5: 厂区边界外500m范围内常住人口数, which sets α.
    exposed_people = models.PositiveIntegerField(_("厂区边界外500m范围内常住人口数"), default=0)
    # 重点监管危险化工工艺 attach to production units only (issue 9 item 2; checked in the service).
    key_processes = models.ManyToManyField("hazchem.KeyProcess", verbose_name=_("重点监管危险化工工艺"), blank=True,
                                           related_name="units")

    # The working, written only by anjian.hazchem.grading (never by a form): S and R rounded for lists and sorting,
    # the exact fractions and every row in `working`.
    grading = models.CharField(_("辨识分级状态"), max_length=16, choices=UnitGrading.choices,
                               default=UnitGrading.EMPTY)
    s = models.DecimalField(_("S值"), max_digits=20, decimal_places=4, null=True, blank=True)
    is_major = models.BooleanField(_("构成重大危险源"), default=False)
    r = models.DecimalField(_("R值"), max_digits=20, decimal_places=4, null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("重大危险源级别"), null=True, blank=True)
    working = models.JSONField(_("计算过程"), default=dict, blank=True)
    graded_at = models.DateTimeField(_("辨识分级时间"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created", "updated", "working", "graded_at"])
    # What people declare; the working (grading, s, is_major, r, level) is the system's, and a unit stays with its
    # enterprise (a move would carry another enterprise's registration along).
    editable_fields: ClassVar[dict[str, frozenset[str]]] = {
        role: frozenset({"name", "kind", "location", "exposed_people"}) for role in Role.values
    }

    class Meta:
        verbose_name = _("危险化学品单元")
        verbose_name_plural = _("危险化学品单元")
        ordering = ["enterprise", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="hazchem_unit_name",
                                    violation_error_message=_("本单位已有同名的单元。")),
            models.CheckConstraint(condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=4),
                                   name="hazchem_unit_level_1_4",
                                   violation_error_message=_("重大危险源级别为一级至四级。")),
        ]
        indexes = [
            models.Index(fields=["enterprise", "is_major"], name="hazchem_unit_major"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hazchem:hazardunit_detail", args=[self.pk])


class UnitChemical(models.Model):
    """One chemical of a unit: the catalogue row (or a name when the catalogue has none, with the assessor's Q), the
    unit's design maximum q (GB 18218-2018 4.2.2) and the stock the ledger last recorded. Grading takes the larger of
    the two, so a stock above the registered maximum re-identifies the unit (issue 9 item 3)."""

    unit = models.ForeignKey(HazardUnit, verbose_name=_("单元"), on_delete=models.CASCADE, related_name="chemicals")
    chemical = models.ForeignKey("hazchem.Chemical", verbose_name=_("危险化学品"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="unit_rows")
    # A name (and CAS) given where the catalogue has no row: GB 18218 Table 1 names it, or the assessor gives Q.
    name = models.CharField(_("名称"), max_length=200, blank=True, validators=[validate_no_control_characters])
    cas = models.CharField(_("CAS号"), max_length=20, blank=True)
    max_quantity_t = models.DecimalField(_("设计最大量（吨）"), max_digits=QUANTITY_DIGITS,
                                         decimal_places=QUANTITY_PLACES, validators=[MinValueValidator(0)])
    stock_t = models.DecimalField(_("当前库存（吨）"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES,
                                  null=True, blank=True, validators=[MinValueValidator(0)])
    # An assessor's Q and β for a chemical the tables do not settle (GB 18218-2018 4.1.2 and 4.3), with the source.
    critical_quantity_t = models.DecimalField(_("评价确定的临界量（吨）"), max_digits=QUANTITY_DIGITS,
                                              decimal_places=QUANTITY_PLACES, null=True, blank=True)
    beta = models.DecimalField(_("评价确定的校正系数β"), max_digits=6, decimal_places=2, null=True, blank=True)
    assessor_source = models.CharField(_("评价依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("单元危险化学品")
        verbose_name_plural = _("单元危险化学品")
        ordering = ["unit", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(chemical__isnull=False) | ~Q(name=""),
                                   name="hazchem_unitchem_named",
                                   violation_error_message=_("请选择目录中的危险化学品或填写名称。")),
            models.UniqueConstraint(fields=["unit", "chemical"], condition=Q(chemical__isnull=False),
                                    name="hazchem_unitchem_once",
                                    violation_error_message=_("同一单元内每种危险化学品只列一次。")),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.chemical.name if self.chemical_id else self.name


# The 包保责任 persons of a registration (《危险化学品企业重大危险源安全包保责任制办法（试行）》, 应急厅〔2021〕12号).
PERSON_FIELDS = ("principal_name", "principal_phone", "technical_name", "technical_phone", "operational_name",
                 "operational_phone")
PHONE_FIELDS = ("principal_phone", "technical_phone", "operational_phone")


class MajorHazardStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    DEREGISTERED = "deregistered", _("已核销")


class MajorHazard(EnterpriseChild):
    """The registration (登记建档) of a unit found major: its number, level, the three 包保责任 persons and the
    review date (安监总局令第40号 第十一条: re-assessed every three years). Created, re-levelled and deregistered
    by `anjian.hazchem.grading` as the unit's working changes; people fill in the persons."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="major_hazards")
    unit = models.OneToOneField(HazardUnit, verbose_name=_("单元"), on_delete=models.CASCADE,
                                related_name="registration")
    registration_number = models.CharField(_("登记编号"), max_length=32, unique=True)
    status = models.CharField(_("登记状态"), max_length=16, choices=MajorHazardStatus.choices,
                              default=MajorHazardStatus.REGISTERED, db_index=True)
    level = models.PositiveSmallIntegerField(_("级别"), null=True, blank=True)
    registered_on = models.DateField(_("登记日期"))
    review_due = models.DateField(_("下次评估日期"))
    principal_name = models.CharField(_("主要负责人"), max_length=50, blank=True,
                                      validators=[validate_no_control_characters])
    principal_phone = models.CharField(_("主要负责人电话"), max_length=20, blank=True, validators=[validate_phone])
    technical_name = models.CharField(_("技术负责人"), max_length=50, blank=True,
                                      validators=[validate_no_control_characters])
    technical_phone = models.CharField(_("技术负责人电话"), max_length=20, blank=True, validators=[validate_phone])
    operational_name = models.CharField(_("操作负责人"), max_length=50, blank=True,
                                        validators=[validate_no_control_characters])
    operational_phone = models.CharField(_("操作负责人电话"), max_length=20, blank=True, validators=[validate_phone])

    history = HistoricalRecords(excluded_fields=["created", "updated"])
    # Registrations are made, re-levelled and deregistered only by anjian.hazchem.grading (issue 9 item 2): nobody
    # adds or deletes one, and people (the enterprise itself and its regulators) fill in only the 包保责任 persons;
    # number, level and dates are the system's.
    policy: ClassVar[dict[str, frozenset[str]]] = {
        role: defaults(role, without=(ADD, DELETE)) for role in Role.values
    }
    editable_fields: ClassVar[dict[str, frozenset[str]]] = {role: frozenset(PERSON_FIELDS) for role in Role.values}

    class Meta:
        verbose_name = _("重大危险源")
        verbose_name_plural = _("重大危险源")
        ordering = ["level", "registration_number"]
        constraints = [
            models.CheckConstraint(condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=4),
                                   name="hazchem_major_level_1_4",
                                   violation_error_message=_("重大危险源级别为一级至四级。")),
        ]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("hazchem:hazardunit_detail", args=[self.unit_id])
