"""隐患排查治理 (issue 8): checklists, self-inspections, hazards with 五到位 rectification, 挂牌督办, public reports.

Hazard lifecycle (the transition table below; services.py runs it):

reported ─assign (五到位)→ rectifying ─rectify (evidence)→ rectified ─verify→ closed (销号)
                             ↑   └extend / request_extension     │             ├spot_check
                             └────────reject (reason)────────────┘             ├reopen (reason) → rectifying
                                                                               └lift_supervision (listed ones)
A 重大隐患 open at any step may be listed for supervision (挂牌督办, list_supervision) by the city or its town.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anjian.accounts.roles import REGULATOR_ROLES, Role, defaults
from anjian.core.models import ScopedModel
from anjian.core.scope import ADD, CHANGE, DELETE, EXPORT, VIEW, Scope
from anjian.core.validators import validate_date_in_range, validate_no_control_characters, validate_phone
from anjian.core.workflow import Transition, Workflow
from anjian.enterprises.choices import SupervisionDomain
from anjian.hazards import tally
from anjian.hazards.choices import (
    ChecklistStatus,
    CheckResult,
    Frequency,
    HazardCategory,
    HazardLevel,
    HazardSource,
    HazardStatus,
    LadderStepKind,
    PublicReportStatus,
    SupervisionLevel,
)

# ---------------------------------------------------------------------------------------------------------------
# Checklists (排查清单): reference data, versioned; a published version is never changed in place.


def checklist_policy(*own_actions: str) -> dict[str, frozenset[str]]:
    """Who keeps the checklists and their items (issue 8 item 1): the city's regulators create and version them
    (with the model's `own_actions`, e.g. publishing); towns and departments read and export them; whoever checks
    or is checked reads them."""
    return {
        Role.CITY_ADMIN: defaults(Role.CITY_ADMIN, *own_actions),
        Role.CITY_SUPERVISOR: defaults(Role.CITY_SUPERVISOR, DELETE, *own_actions),
        Role.TOWN_SUPERVISOR: frozenset({VIEW, EXPORT}),
        Role.DEPARTMENT_SUPERVISOR: frozenset({VIEW, EXPORT}),
        Role.GRID_WORKER: frozenset({VIEW}),
        Role.ENTERPRISE_USER: frozenset({VIEW}),
        Role.EXPERT: frozenset({VIEW}),
    }


class Checklist(ScopedModel):
    """One version of a checklist. `code` names the checklist across its versions."""

    code = models.SlugField(_("清单编号"), max_length=64)
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("清单名称"), max_length=200, validators=[validate_no_control_characters])
    # Blank: a checklist for every domain.
    domain = models.CharField(_("行业领域"), max_length=32, choices=SupervisionDomain.choices, blank=True,
                              db_index=True)
    basis = models.CharField(_("依据"), max_length=300, blank=True, validators=[validate_no_control_characters],
                             help_text=_("制定清单所依据的法规、标准或文件。"))
    # Items whose failure is a 重大事故隐患 by an official 判定标准 (standards.md §4).
    criteria = models.BooleanField(_("重大事故隐患判定标准"), default=False)
    # Shipped by `anjian load-reference` (regulators version their own copies; the shipped ones are reloaded).
    official = models.BooleanField(_("系统内置"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=ChecklistStatus.choices,
                              default=ChecklistStatus.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    scope: ClassVar[Scope] = Scope(shared=True)
    actions: ClassVar[dict[str, Any]] = {"publish": _("发布"), "retire": _("停用")}
    policy: ClassVar[dict[str, frozenset[str]]] = checklist_policy("publish", "retire")
    workflow = Workflow("status", [
        Transition("publish", (ChecklistStatus.DRAFT,), ChecklistStatus.PUBLISHED),
        Transition("retire", (ChecklistStatus.PUBLISHED,), ChecklistStatus.RETIRED, reason=True),
    ])

    class Meta:
        verbose_name = _("排查清单")
        verbose_name_plural = _("排查清单")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="hazards_checklist_code_version",
                                    violation_error_message=_("该清单编号的此版本已存在。")),
            # At most one version of a checklist is in use at a time.
            models.UniqueConstraint(fields=["code"], condition=Q(status=ChecklistStatus.PUBLISHED),
                                    name="hazards_checklist_one_published",
                                    violation_error_message=_("该清单已有在用版本。")),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    def get_absolute_url(self) -> str:
        return reverse("hazards:checklist_detail", args=[self.pk])


class ChecklistItem(ScopedModel):
    checklist = models.ForeignKey(Checklist, verbose_name=_("排查清单"), on_delete=models.CASCADE,
                                  related_name="items")
    number = models.PositiveIntegerField(_("序号"))
    text = models.TextField(_("检查内容"), validators=[validate_no_control_characters])
    basis = models.CharField(_("法律依据"), max_length=300, blank=True, validators=[validate_no_control_characters])
    clause = models.CharField(_("条款"), max_length=100, blank=True, validators=[validate_no_control_characters])
    category = models.CharField(_("隐患类别"), max_length=32, choices=HazardCategory.choices,
                                default=HazardCategory.SITE_OTHER)
    # Failing it is a 重大事故隐患 by the official criteria (the criterion is `basis` + `clause`).
    major = models.BooleanField(_("判定为重大隐患"), default=False)
    # The item's wording was not verified against the official text (standards.md §4.2 marks such items U).
    provisional = models.BooleanField(_("待核实"), default=False)

    scope: ClassVar[Scope] = Scope(shared=True)
    policy: ClassVar[dict[str, frozenset[str]]] = checklist_policy()

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["checklist", "number"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "number"], name="hazards_item_number",
                                    violation_error_message=_("清单中已有该序号的检查项。")),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"

    @property
    def criterion(self) -> str:
        """The official item that makes a failure 重大, as a regulator cites it."""
        return " ".join(part for part in (self.basis, self.clause) if part)


# ---------------------------------------------------------------------------------------------------------------
# Self-inspection (自查自报自改)

ENTERPRISE_SCOPE = Scope(region_code="enterprise__region__code", enterprise="enterprise_id",
                         domain="enterprise__domain")


class InspectionSchedule(ScopedModel):
    """An enterprise's standing self-inspection: which checklist, how often."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="inspection_schedules")
    checklist = models.ForeignKey(Checklist, verbose_name=_("排查清单"), on_delete=models.PROTECT,
                                  related_name="schedules")
    frequency = models.CharField(_("频次"), max_length=8, choices=Frequency.choices, default=Frequency.MONTHLY)
    starts_on = models.DateField(_("开始日期"), validators=[validate_date_in_range])
    active = models.BooleanField(_("启用"), default=True)
    responsible = models.CharField(_("负责人"), max_length=50, blank=True, validators=[validate_no_control_characters])

    scope: ClassVar[Scope] = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = _("自查计划")
        verbose_name_plural = _("自查计划")
        ordering = ["enterprise", "id"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.checklist.title}（{self.get_frequency_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("hazards:schedule_detail", args=[self.pk])


class SelfInspection(ScopedModel):
    """One filled checklist: every item answered pass / fail / not applicable."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="self_inspections")
    schedule = models.ForeignKey(InspectionSchedule, verbose_name=_("自查计划"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="inspections")
    checklist = models.ForeignKey(Checklist, verbose_name=_("排查清单"), on_delete=models.PROTECT,
                                  related_name="inspections")
    # The first day of the schedule's period this inspection covers (a day, a week's Monday, a month's 1st).
    period_start = models.DateField(_("所属周期"), null=True, blank=True)
    performed_at = models.DateTimeField(_("检查时间"), db_index=True)
    performed_by = models.ForeignKey("accounts.User", verbose_name=_("检查人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("备注"), blank=True)
    failed_count = models.PositiveIntegerField(_("不合格项数"), default=0)

    scope: ClassVar[Scope] = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = _("企业自查")
        verbose_name_plural = _("企业自查")
        ordering = ["-performed_at"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "period_start"], condition=Q(schedule__isnull=False),
                                    name="hazards_one_inspection_per_period",
                                    violation_error_message=_("本周期的自查已完成。")),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.checklist.title} · {self.performed_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("hazards:selfinspection_detail", args=[self.pk])


class SelfInspectionAnswer(ScopedModel):
    inspection = models.ForeignKey(SelfInspection, verbose_name=_("企业自查"), on_delete=models.CASCADE,
                                   related_name="answers")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("结果"), max_length=16, choices=CheckResult.choices)
    note = models.TextField(_("说明"), blank=True)
    # Every failed item becomes a hazard found by the enterprise (issue 8 item 2).
    hazard = models.OneToOneField("Hazard", verbose_name=_("隐患"), null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="answer")

    scope: ClassVar[Scope] = Scope(region_code="inspection__enterprise__region__code",
                                   enterprise="inspection__enterprise_id", domain="inspection__enterprise__domain")

    class Meta:
        verbose_name = _("自查结果")
        verbose_name_plural = _("自查结果")
        ordering = ["inspection", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="hazards_one_answer_per_item",
                                    violation_error_message=_("该检查项已作答。")),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_result_display()}"


# ---------------------------------------------------------------------------------------------------------------
# Hazards

FINDER_CORRECTIONS = frozenset({"place", "description", "category"})
REGULATOR_CORRECTIONS = FINDER_CORRECTIONS | {"level", "criterion_item"}
REGULATOR_HAZARD_ACTIONS = ("assign", "verify", "reject", "extend", "list_supervision", "lift_supervision",
                            "spot_check", "reopen")


class Hazard(ScopedModel):
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.PROTECT,
                                   related_name="hazards")
    # The enterprise's village code and domain, copied (save() and anjian.hazards.moves keep them): a town's list of
    # a million hazards and its counts filter and group on the hazard's own indexed columns, without joining the
    # enterprises (issue 8 "Must show": the list under 150 ms, the statistics under 500 ms).
    region_code = models.CharField(_("所在区划代码"), max_length=12, editable=False, default="")
    domain = models.CharField(_("行业领域"), max_length=32, choices=SupervisionDomain.choices, editable=False,
                              default="")
    place = models.CharField(_("隐患部位"), max_length=200, blank=True, validators=[validate_no_control_characters])
    description = models.TextField(_("隐患描述"), validators=[validate_no_control_characters])
    category = models.CharField(_("隐患类别"), max_length=32, choices=HazardCategory.choices,
                                default=HazardCategory.SITE_OTHER)
    level = models.CharField(_("隐患等级"), max_length=8, choices=HazardLevel.choices, default=HazardLevel.GENERAL,
                             db_index=True)
    # The 判定标准 item that made it 重大 (standards.md §4).
    criterion_item = models.ForeignKey(ChecklistItem, verbose_name=_("判定依据"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("发现途径"), max_length=16, choices=HazardSource.choices, default=HazardSource.OTHER)
    found_at = models.DateTimeField(_("发现时间"), db_index=True)
    found_by = models.ForeignKey("accounts.User", verbose_name=_("发现人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    # An external campaign's own reference (issue 8 item 7): re-importing the campaign's file updates its hazards.
    external_ref = models.CharField(_("外部编号"), max_length=64, blank=True,
                                    validators=[validate_no_control_characters])
    status = models.CharField(_("状态"), max_length=16, choices=HazardStatus.choices, default=HazardStatus.REPORTED,
                              db_index=True)
    # Past its deadline and not yet rectified (set by the overdue job, cleared by rectify/extend).
    overdue = models.BooleanField(_("逾期"), default=False)

    # 五到位: measures, responsible person, funds, deadline, interim measures while the hazard lasts.
    measures = models.TextField(_("整改措施"), blank=True, validators=[validate_no_control_characters])
    responsible = models.CharField(_("整改责任人"), max_length=50, blank=True,
                                   validators=[validate_no_control_characters])
    funds = models.DecimalField(_("整改资金（元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0)])
    deadline = models.DateField(_("整改期限"), null=True, blank=True, db_index=True,
                                validators=[validate_date_in_range])
    interim_measures = models.TextField(_("临时管控措施"), blank=True, validators=[validate_no_control_characters])
    assigned_at = models.DateTimeField(_("下达整改时间"), null=True, blank=True)
    requested_deadline = models.DateField(_("申请延期至"), null=True, blank=True, validators=[validate_date_in_range])

    rectification = models.TextField(_("整改情况"), blank=True, validators=[validate_no_control_characters])
    rectified_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    verification_note = models.TextField(_("验收意见"), blank=True, validators=[validate_no_control_characters])
    verified_by = models.ForeignKey("accounts.User", verbose_name=_("验收人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True, db_index=True)
    spot_check_note = models.TextField(_("抽查意见"), blank=True, validators=[validate_no_control_characters])
    spot_checked_at = models.DateTimeField(_("抽查时间"), null=True, blank=True)

    # 挂牌督办 (issue 8 item 4): blank level = not listed.
    supervision_level = models.CharField(_("督办级别"), max_length=8, choices=SupervisionLevel.choices, blank=True,
                                         db_index=True)
    supervising_unit = models.CharField(_("督办单位"), max_length=100, blank=True,
                                        validators=[validate_no_control_characters])
    supervision_target_date = models.DateField(_("督办期限"), null=True, blank=True,
                                               validators=[validate_date_in_range])
    listed_at = models.DateTimeField(_("挂牌时间"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("摘牌时间"), null=True, blank=True)

    # The overdue job (issue 8 item 5): the next day a reminder or ladder step is due, and the highest level told.
    next_notice_on = models.DateField(_("下次提醒日期"), null=True, blank=True, db_index=True)
    escalation_level = models.CharField(_("已升级至"), max_length=16, blank=True)

    history = HistoricalRecords(excluded_fields=["created", "updated", "next_notice_on", "region_code", "domain"])
    scope: ClassVar[Scope] = Scope(region_code="region_code", enterprise="enterprise_id", domain="domain")
    attachable = True
    actions: ClassVar[dict[str, Any]] = {
        "assign": _("下达整改"),
        "rectify": _("提交整改"),
        "verify": _("验收销号"),
        "reject": _("退回整改"),
        "extend": _("延期"),
        "request_extension": _("申请延期"),
        "list_supervision": _("挂牌督办"),
        "lift_supervision": _("解除督办"),
        "spot_check": _("抽查"),
        "reopen": _("重新整改"),
    }
    policy: ClassVar[dict[str, frozenset[str]]] = {
        # 自查自报自改: the enterprise reports, plans (五到位) and rectifies its own hazards, and closes its
        # 一般隐患 itself (services refuse its verifying a 重大隐患).
        # Both correct what they reported while it is 待整改 (issue 8 item 3; the state and, for a grid worker, the
        # finder are anjian.hazards.corrections' to decide).
        Role.ENTERPRISE_USER: frozenset({VIEW, EXPORT, ADD, CHANGE, "assign", "rectify", "verify",
                                         "request_extension"}),
        Role.GRID_WORKER: frozenset({VIEW, ADD, CHANGE}),
        Role.TOWN_SUPERVISOR: defaults(Role.TOWN_SUPERVISOR, *REGULATOR_HAZARD_ACTIONS),
        Role.CITY_SUPERVISOR: defaults(Role.CITY_SUPERVISOR, *REGULATOR_HAZARD_ACTIONS),
        Role.CITY_ADMIN: defaults(Role.CITY_ADMIN, *REGULATOR_HAZARD_ACTIONS),
        Role.DEPARTMENT_SUPERVISOR: defaults(Role.DEPARTMENT_SUPERVISOR, "assign", "verify", "reject", "extend",
                                             "spot_check", "reopen"),
        Role.EXPERT: frozenset({VIEW}),
    }
    editable_fields: ClassVar[dict[str, frozenset[str]]] = {
        # What was found stays as found (issue 8 item 3): its finder corrects where and what, regulators also grade
        # it (a level raised to 重大 needs a 判定标准 item or a reason: services.hazard_save). Neither moves it to
        # another enterprise or rewrites how and when it was found.
        Role.ENTERPRISE_USER: FINDER_CORRECTIONS,
        Role.GRID_WORKER: FINDER_CORRECTIONS,
        **dict.fromkeys(REGULATOR_ROLES, REGULATOR_CORRECTIONS),
    }
    workflow = Workflow("status", [
        Transition("assign", (HazardStatus.REPORTED,), HazardStatus.RECTIFYING,
                   fields=("measures", "responsible", "funds", "deadline", "interim_measures"),
                   optional=("funds", "interim_measures")),
        Transition("rectify", (HazardStatus.RECTIFYING,), HazardStatus.RECTIFIED, fields=("rectification",),
                   attachments=1),
        Transition("verify", (HazardStatus.RECTIFIED,), HazardStatus.CLOSED, fields=("verification_note",),
                   optional=("verification_note",)),
        Transition("reject", (HazardStatus.RECTIFIED,), HazardStatus.RECTIFYING, reason=True),
        Transition("extend", (HazardStatus.RECTIFYING,), None, reason=True, fields=("deadline",)),
        Transition("request_extension", (HazardStatus.RECTIFYING,), None, reason=True,
                   fields=("requested_deadline",)),
        Transition("list_supervision", (HazardStatus.REPORTED, HazardStatus.RECTIFYING, HazardStatus.RECTIFIED),
                   None, fields=("supervision_level", "supervision_target_date", "supervising_unit"),
                   optional=("supervising_unit",)),
        Transition("lift_supervision", (HazardStatus.CLOSED,), None, reason=True),
        Transition("spot_check", (HazardStatus.CLOSED,), None, fields=("spot_check_note",)),
        Transition("reopen", (HazardStatus.CLOSED,), HazardStatus.RECTIFYING, reason=True),
    ])

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ["-found_at", "-id"]
        indexes = [
            # The town list filtered by status and overdue, newest first (issue 8 "Must show" benchmark).
            models.Index(fields=["enterprise", "status"], name="hazards_enterprise_status"),
            models.Index(fields=["status", "overdue", "deadline"], name="hazards_status_overdue"),
            # A town's (or village's) hazards of one status, and a town's newest hazards: the equality first, then
            # the code range, so SQLite's planner (which keeps no statistics unless told) takes them too.
            models.Index(fields=["status", "region_code"], name="hazards_status_place"),
            models.Index(fields=["region_code", "found_at"], name="hazards_place_found"),
            models.Index(fields=["domain", "region_code"], name="hazards_domain_place"),
            # The overdue hazards (a few per cent) of a town or village, of a status: a small partial index that
            # only the overdue job's flag changes touch, instead of a whole-table index on a yes/no column.
            models.Index(fields=["region_code", "status"], condition=Q(overdue=True), name="hazards_overdue_place"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=HazardLevel.MAJOR) | Q(supervision_level=""),
                name="hazards_only_major_listed",
                violation_error_message=_("只有重大隐患可以挂牌督办。"),
            ),
            models.UniqueConstraint(
                fields=["enterprise", "external_ref"],
                condition=~Q(external_ref=""),
                name="hazards_external_ref_unique",
                violation_error_message=_("该单位已有相同外部编号的隐患。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.description[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("hazards:hazard_detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        loaded = getattr(self, "_loaded_values", {})
        if self.enterprise_id and (not self.region_code or loaded.get("enterprise_id") != self.enterprise_id):
            self.copy_place()
        # The running counts follow every saved hazard, in the same transaction (issue 8 item 7).
        with transaction.atomic(savepoint=False):
            before = tally.stored_keys(self, kwargs.get("update_fields"))
            super().save(*args, **kwargs)
            tally.follow(before, tally.keys_of(self))

    def copy_place(self) -> None:
        """Take the enterprise's village code and domain (a new hazard, or one moved to another enterprise)."""
        enterprise = self.enterprise
        self.region_code = enterprise.region.code if enterprise.region_id else ""
        self.domain = enterprise.domain

    @property
    def listed(self) -> bool:
        """Under 挂牌督办 now: listed and not yet lifted."""
        return bool(self.supervision_level) and self.lifted_at is None


class HazardTally(models.Model):
    """How many hazards share one place, domain, status, level, overdue flag and 挂牌督办 state (anjian.hazards.tally).

    Derived data, kept exact by anjian.hazards.tally on every write of a hazard: the statistics sum a few thousand
    of these rows instead of counting a million hazards (issue 8 "Must show": the dashboard under 500 ms). Read only
    through anjian.hazards.selectors_stats, with the reader's jurisdiction over hazards.
    """

    region_code = models.CharField(_("所在区划代码"), max_length=12)
    domain = models.CharField(_("行业领域"), max_length=32)
    status = models.CharField(_("状态"), max_length=16)
    level = models.CharField(_("隐患等级"), max_length=8)
    overdue = models.BooleanField(_("逾期"))
    listed = models.BooleanField(_("挂牌督办中"))
    count = models.IntegerField(_("隐患数"), default=0)

    class Meta:
        verbose_name = _("隐患计数")
        verbose_name_plural = _("隐患计数")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "domain", "status", "level", "overdue", "listed"],
                                    name="hazards_tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.domain} {self.status} {self.level}: {self.count}"


class HazardDueTally(models.Model):
    """How many hazards of one town and domain have their deadline on one day, and how many of them were closed on
    time (the rectification rate's due and on-time counts, issue 8 item 7), kept by anjian.hazards.tally.

    Per town rather than per village: a period's rate then sums at most (towns × domains × days) rows; a village's
    rate is counted from its hazards directly (a village holds a few thousand).
    """

    town_code = models.CharField(_("镇街代码"), max_length=12)
    domain = models.CharField(_("行业领域"), max_length=32)
    deadline = models.DateField(_("整改期限"))
    due = models.IntegerField(_("应整改数"), default=0)
    on_time = models.IntegerField(_("按期整改数"), default=0)

    class Meta:
        verbose_name = _("隐患到期计数")
        verbose_name_plural = _("隐患到期计数")
        constraints = [
            models.UniqueConstraint(fields=["town_code", "domain", "deadline"], name="hazards_due_tally_key"),
        ]
        indexes = [models.Index(fields=["deadline", "town_code"], name="hazards_due_tally_day")]

    def __str__(self) -> str:
        return f"{self.town_code} {self.domain} {self.deadline}: {self.on_time}/{self.due}"


class LadderStep(ScopedModel):
    """One step of the overdue ladder regulators configure (issue 8 item 5).

    A reminder `days` before the deadline, or an escalation `days` after it, told to `roles` (each where its
    jurisdiction reaches the hazard: the enterprise's users, the village's grid workers, the town, the city).
    """

    kind = models.CharField(_("类型"), max_length=16, choices=LadderStepKind.choices)
    days = models.PositiveIntegerField(_("天数"), help_text=_("提醒：到期前天数；升级：逾期天数（0 为到期当天）。"))
    roles = models.JSONField(_("通知对象"), default=list)
    # The name of the level told, shown on the hazard (已升级至镇街).
    level_label = models.CharField(_("升级层级"), max_length=16, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    scope: ClassVar[Scope] = Scope(shared=True)
    policy: ClassVar[dict[str, frozenset[str]]] = {
        Role.CITY_ADMIN: defaults(Role.CITY_ADMIN),
        Role.CITY_SUPERVISOR: frozenset({VIEW, CHANGE}),
        Role.TOWN_SUPERVISOR: frozenset({VIEW}),
        Role.DEPARTMENT_SUPERVISOR: frozenset({VIEW}),
        # Named so they do not keep their role's defaults: an enterprise user's defaults would let it add and
        # change the city's ladder (the rows are shared: whoever holds an action reaches every row).
        Role.ENTERPRISE_USER: frozenset(),
        Role.GRID_WORKER: frozenset(),
        Role.EXPERT: frozenset(),
    }

    class Meta:
        verbose_name = _("逾期升级规则")
        verbose_name_plural = _("逾期升级规则")
        ordering = ["kind", "days"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "days"], name="hazards_ladder_step",
                                    violation_error_message=_("已有同类型、同天数的规则。")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.days} 天"


# ---------------------------------------------------------------------------------------------------------------
# Public reports (举报, issue 8 item 6)


class PublicReport(ScopedModel):
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    # A town or a village; the regulators of that place triage it.
    region = models.ForeignKey("regions.Region", verbose_name=_("所在镇街或村（社区）"), on_delete=models.PROTECT,
                               related_name="+")
    # The citizen's optional map pin (issue 8 item 6), inside Dongguan (services_public.check_pin). Shown to the
    # regulators who triage the report, never on the public tracking page.
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True, validators=[validate_no_control_characters])
    description = models.TextField(_("举报内容"), validators=[validate_no_control_characters])
    # Personal: shown only to those who handle the report, never on the public tracking page.
    contact = models.CharField(_("联系方式"), max_length=50, blank=True, validators=[validate_phone])
    submitted_at = models.DateTimeField(_("举报时间"), db_index=True)
    # When it was accepted or dismissed (the public tracking page shows it; issue 8 item 6).
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=PublicReportStatus.choices,
                              default=PublicReportStatus.PENDING, db_index=True)
    hazard = models.ForeignKey(Hazard, verbose_name=_("对应隐患"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="public_reports")
    # What the public page says once it is decided (no names, no contact).
    public_reply = models.TextField(_("处理答复"), blank=True, validators=[validate_no_control_characters])
    reward_amount = models.DecimalField(_("奖励金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True,
                                        validators=[MinValueValidator(0)])
    reward_note = models.CharField(_("奖励说明"), max_length=200, blank=True,
                                   validators=[validate_no_control_characters])

    scope: ClassVar[Scope] = Scope(region_code="region__code")
    attachable = True
    actions: ClassVar[dict[str, Any]] = {"accept": _("受理"), "dismiss": _("不予受理"), "reward": _("奖励")}
    policy: ClassVar[dict[str, frozenset[str]]] = {
        Role.TOWN_SUPERVISOR: frozenset({VIEW, EXPORT, CHANGE, "accept", "dismiss", "reward"}),
        Role.CITY_SUPERVISOR: frozenset({VIEW, EXPORT, CHANGE, "accept", "dismiss", "reward"}),
        Role.CITY_ADMIN: frozenset({VIEW, EXPORT, CHANGE, DELETE, "accept", "dismiss", "reward"}),
    }
    workflow = Workflow("status", [
        Transition("accept", (PublicReportStatus.PENDING,), PublicReportStatus.ACCEPTED,
                   fields=("hazard", "public_reply"), optional=("hazard", "public_reply")),
        Transition("dismiss", (PublicReportStatus.PENDING,), PublicReportStatus.REJECTED, reason=True,
                   fields=("public_reply",), optional=("public_reply",)),
        Transition("reward", (PublicReportStatus.ACCEPTED,), None, fields=("reward_amount", "reward_note"),
                   optional=("reward_note",)),
    ])

    class Meta:
        verbose_name = _("群众举报")
        verbose_name_plural = _("群众举报")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="hazards_report_pin_pair",
                violation_error_message=_("经纬度须同时填写。"),
            ),
        ]

    def __str__(self) -> str:
        return _("举报 %(code)s") % {"code": self.tracking_code}

    def get_absolute_url(self) -> str:
        return reverse("hazards:publicreport_detail", args=[self.pk])
