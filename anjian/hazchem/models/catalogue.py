"""The chemical catalogue (issue 9 item 1): the 危险化学品目录（2015版） with its 易制爆, 易制毒 and 重点监管 flags, and
the 18 重点监管危险化工工艺. Both are reference data loaded by `anjian load-reference` (anjian.hazchem.reference)
from the files in anjian/hazchem/data/ (see SOURCES.md there); people add only what the sources lack."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anjian.accounts.roles import Role
from anjian.core.models import ScopedModel
from anjian.core.scope import CHANGE, EXPORT, VIEW, Scope
from anjian.hazchem.pinyin import initials_of

# The catalogue joins several names and CAS numbers of one row with this separator (as its source file does).
LIST_SEPARATOR = ";"


def catalogue_policy(*city_actions: str) -> dict[str, frozenset[str]]:
    """Who keeps the catalogue (issue 9 item 1). Rows come only from the official lists, so nobody adds or deletes
    one; the city's staff complete what the lists lack (`city_actions`, e.g. CHANGE of the hazard symbols and notes)
    because a symbol decides a unit's GB 18218 grading across every town, so one office answers for it. Towns and
    departments read and export; whoever checks or is checked reads."""
    return {
        Role.CITY_ADMIN: frozenset({VIEW, EXPORT, *city_actions}),
        Role.CITY_SUPERVISOR: frozenset({VIEW, EXPORT, *city_actions}),
        Role.TOWN_SUPERVISOR: frozenset({VIEW, EXPORT}),
        Role.DEPARTMENT_SUPERVISOR: frozenset({VIEW, EXPORT}),
        Role.GRID_WORKER: frozenset({VIEW}),
        Role.ENTERPRISE_USER: frozenset({VIEW}),
        Role.EXPERT: frozenset({VIEW}),
    }


def split_list(text: str | None) -> list[str]:
    return [part for part in (text or "").split(LIST_SEPARATOR) if part]


# What city staff complete on a chemical (the catalogue's own fields are the official text). `key_supervised` follows
# `key_supervised_source` in the service.
STAFF_CHEMICAL_FIELDS = ("hazard_symbols", "notes", "key_supervised", "key_supervised_source",
                         "gb18218_exempt_source")
# What city staff complete on a key process: the list gives names only (data/SOURCES.md).
STAFF_PROCESS_FIELDS = ("typical_processes", "key_monitoring_parameters", "details_source")


class Chemical(ScopedModel):
    """One row of the 危险化学品目录（2015版）. Entries with several rows under one 序号 (concentration variants,
    苯酚 / 苯酚溶液) are one row each, told apart by `sub_row`."""

    catalogue_number = models.PositiveIntegerField(_("序号"), db_index=True)
    sub_row = models.PositiveSmallIntegerField(_("分项"), default=1)
    name = models.CharField(_("品名"), max_length=200, db_index=True)
    aliases = models.TextField(_("别名"), blank=True, help_text=_("多个别名以分号分隔。"))
    # Null: the catalogue gives none (mixtures, generic entries such as 2828). Several CAS numbers are ;-joined.
    cas = models.CharField(_("CAS号"), max_length=200, null=True, blank=True, db_index=True)
    highly_toxic = models.BooleanField(_("剧毒"), default=False)
    remark = models.CharField(_("备注"), max_length=200, blank=True)
    # 《易制爆危险化学品名录（2017年版）》 and its hazard class.
    explosive_precursor = models.BooleanField(_("易制爆"), default=False, db_index=True)
    explosive_precursor_class = models.CharField(_("易制爆危险性类别"), max_length=100, blank=True)
    # 《易制毒化学品的分类和品种目录》: 第一类/第二类/第三类, blank when not listed.
    drug_precursor_category = models.CharField(_("易制毒类别"), max_length=20, blank=True, db_index=True)
    # 重点监管的危险化学品名录 (2011 batch 1; batch 2 partly, see data/SOURCES.md).
    key_supervised = models.BooleanField(_("重点监管"), default=False, db_index=True)
    # Where staff found a chemical of the list's rows the package lacks (the 2013 second batch's rows 3–14, see
    # data/SOURCES.md): filling it marks the chemical 重点监管; the loader never clears a flag that has a source.
    key_supervised_source = models.CharField(_("重点监管补录依据"), max_length=300, blank=True)
    # Initials of the name and of each alias (氯乙烯 → lyx), ;-joined; kept at load and save time for search.
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=500, blank=True, db_index=True)
    # GB 18218-2018 Table 2 symbols (J1…W11) entered by staff where Table 1 does not name the chemical, each with
    # the source it was taken from: [{"symbol": "W5.1", "source": "SDS ……"}].
    hazard_symbols = models.JSONField(_("危险性类别符号"), default=list, blank=True)
    # A chemical the standard does not cover (not in Table 1, none of Table 2's categories: 硫酸 is only corrosive)
    # is left out of every unit's identification once staff give the source they checked (its SDS, section 2);
    # without it such a unit could never be graded.
    gb18218_exempt_source = models.CharField(_("不属于GB 18218辨识范围的依据"), max_length=300, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    qa_flag = models.CharField(_("数据校核说明"), max_length=300, blank=True)

    scope: ClassVar[Scope] = Scope(shared=True)
    policy: ClassVar[dict[str, frozenset[str]]] = catalogue_policy(CHANGE)
    # The catalogue's own fields are the official text; staff complete only what it lacks.
    editable_fields: ClassVar[dict[str, frozenset[str]]] = {
        Role.CITY_ADMIN: frozenset(STAFF_CHEMICAL_FIELDS),
        Role.CITY_SUPERVISOR: frozenset(STAFF_CHEMICAL_FIELDS),
    }
    history = HistoricalRecords(excluded_fields=["created", "updated", "pinyin_initials"])

    class Meta:
        verbose_name = _("危险化学品")
        verbose_name_plural = _("危险化学品")
        ordering = ["catalogue_number", "sub_row"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue_number", "sub_row"], name="hazchem_chemical_number_row",
                                    violation_error_message=_("目录中已有该序号的此分项。")),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue_number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("hazchem:chemical_detail", args=[self.pk])

    @property
    def alias_list(self) -> list[str]:
        return split_list(self.aliases)

    @property
    def cas_numbers(self) -> list[str]:
        return split_list(self.cas)

    def refresh_initials(self) -> None:
        self.pinyin_initials = LIST_SEPARATOR.join(
            dict.fromkeys(initials_of(text) for text in [self.name, *self.alias_list] if initials_of(text)))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_initials()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "pinyin_initials"}
        super().save(*args, **kwargs)


class KeyProcess(ScopedModel):
    """One of the 18 重点监管危险化工工艺 (安监总管三〔2009〕116号 and 〔2013〕3号)."""

    batch = models.PositiveSmallIntegerField(_("批次"))
    number = models.PositiveSmallIntegerField(_("序号"), unique=True)
    name = models.CharField(_("工艺名称"), max_length=100, unique=True)
    typical_processes = models.TextField(_("典型工艺"), blank=True)
    key_monitoring_parameters = models.TextField(_("重点监控工艺参数"), blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    # The document staff took the two texts above from (the loaded list gives names only).
    details_source = models.CharField(_("工艺说明依据"), max_length=300, blank=True)

    scope: ClassVar[Scope] = Scope(shared=True)
    policy: ClassVar[dict[str, frozenset[str]]] = catalogue_policy(CHANGE)
    editable_fields: ClassVar[dict[str, frozenset[str]]] = {
        Role.CITY_ADMIN: frozenset(STAFF_PROCESS_FIELDS),
        Role.CITY_SUPERVISOR: frozenset(STAFF_PROCESS_FIELDS),
    }
    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("重点监管危险化工工艺")
        verbose_name_plural = _("重点监管危险化工工艺")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hazchem:keyprocess_detail", args=[self.pk])
