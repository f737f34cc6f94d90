"""Writes of the chemical catalogue (issue 9 item 1): city staff complete a chemical's hazard symbols (each with its
source), its 重点监管 flag where the packaged list is incomplete (with the source) and notes, and a key process's
details (with the source); the catalogue's own fields come only from `anjian load-reference`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anjian.core.services import scoped_save
from anjian.hazchem import grading
from anjian.hazchem.grading import named_in_table1
from anjian.hazchem.models import Chemical, HazardUnit, KeyProcess
from anjian.hazchem.reference import listed_as_key
from anjian.standards import gb18218


def symbol_codes() -> tuple[str, ...]:
    """GB 18218-2018 Table 2's hazard symbols (J1…W11), in the standard's order."""
    return tuple(gb18218.table2())


def clean_hazard_symbols(entries: Any) -> list[dict[str, str]]:
    """Each entry a known symbol with a non-empty source, no symbol twice; raises a Chinese ValidationError."""
    if not isinstance(entries, list):
        raise ValidationError({"hazard_symbols": _("危险性类别符号应为列表。")})
    known = set(symbol_codes())
    cleaned: list[dict[str, str]] = []
    for entry in entries:
        symbol = str(entry.get("symbol", "")).strip().upper() if isinstance(entry, dict) else ""
        source = str(entry.get("source", "")).strip() if isinstance(entry, dict) else ""
        if symbol not in known:
            message = _("“%(symbol)s”不是 GB 18218-2018 表2 的危险性类别符号（J1…W11）。") % {"symbol": symbol}
            raise ValidationError({"hazard_symbols": message})
        if not source:
            raise ValidationError({"hazard_symbols": _("符号 %(symbol)s 须注明来源。") % {"symbol": symbol}})
        if any(existing["symbol"] == symbol for existing in cleaned):
            raise ValidationError({"hazard_symbols": _("符号 %(symbol)s 重复。") % {"symbol": symbol}})
        cleaned.append({"symbol": symbol, "source": source})
    return cleaned


def key_process_save(*, actor: Any, process: KeyProcess, reason: str = "") -> KeyProcess:
    """City staff complete a process's 典型工艺 and 重点监控工艺参数, which the loaded list lacks, naming the document
    they took them from (issue 9 item 1: "staff complete in the UI with a source per entry"); scoped_save refuses
    every other field (KeyProcess.editable_fields) and every other role."""
    process.details_source = process.details_source.strip()
    if (process.typical_processes.strip() or process.key_monitoring_parameters.strip()) and not process.details_source:
        raise ValidationError({"details_source": _("请注明典型工艺和重点监控工艺参数的依据（文件名称、文号）。")})
    return scoped_save(actor=actor, obj=process, reason=reason)


def chemical_save(*, actor: Any, chemical: Chemical, reason: str = "") -> Chemical:
    """Save a chemical's hazard symbols and notes; audited as `chemical.update` by scoped_save, which also refuses
    any other field (Chemical.editable_fields) and any role without CHANGE (Chemical.policy)."""
    chemical.hazard_symbols = clean_hazard_symbols(chemical.hazard_symbols)
    chemical.gb18218_exempt_source = (chemical.gb18218_exempt_source or "").strip()
    if chemical.gb18218_exempt_source:
        if chemical.hazard_symbols:
            raise ValidationError({"gb18218_exempt_source": [_(
                "已填写危险性类别符号的物质属于GB 18218辨识范围：危险性类别符号与不属于辨识范围的依据只能填其一。")]})
        if named_in_table1(chemical):
            raise ValidationError({"gb18218_exempt_source": [_(
                "GB 18218-2018表1列有本品，它属于辨识范围。")]})
    chemical.key_supervised_source = (chemical.key_supervised_source or "").strip()
    # 重点监管 is the packaged list's, or staff's with the document they found it in (data/SOURCES.md: the list's
    # second batch is incomplete); a flag is never set or cleared by hand without that.
    chemical.key_supervised = listed_as_key(chemical) or bool(chemical.key_supervised_source)
    with transaction.atomic():
        saved = scoped_save(actor=actor, obj=chemical, reason=reason)
        # A symbol decides Q (Table 2) and β (Table 4) of a chemical Table 1 does not name: every unit holding it is
        # graded again at once (issue 9 item 2, "run on every change"), e.g. one waiting for a β leaves that state.
        grading.regrade_all(HazardUnit.objects.filter(chemicals__chemical=chemical).distinct(), actor=actor)
    return saved
