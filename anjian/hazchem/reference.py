"""Loading the chemical catalogue and the 重点监管 lists (issue 9 item 1) from anjian/hazchem/data/ (see SOURCES.md).

A load is idempotent: each catalogue row is keyed by (序号, 分项); a row whose official fields are unchanged is not
written, a changed one is updated in those fields only, so what staff added (hazard symbols with their sources,
notes) is never overwritten. The 重点监管 flag is matched from key_supervised_chemicals.csv by CAS, else by name or
alias (the list writes several names in one cell, e.g. 氟化氢、氢氟酸, and 汽油's CAS differs from the catalogue's).
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from importlib import resources
from typing import Any

from django.db import transaction

from anjian.hazchem.models import Chemical, KeyProcess, split_list

CATALOGUE_FILE = "hazchem_catalog_2015.csv"
KEY_CHEMICALS_FILE = "key_supervised_chemicals.csv"
KEY_PROCESSES_FILE = "key_supervised_processes.csv"

# The fields a load owns; anything else on a row (hazard_symbols, notes) belongs to the people who entered it.
CATALOGUE_FIELDS = ("name", "aliases", "cas", "highly_toxic", "remark", "explosive_precursor",
                    "explosive_precursor_class", "drug_precursor_category", "key_supervised", "qa_flag")
PROCESS_FIELDS = ("batch", "name", "note")
# The texts the list file may give a process; staff complete them with a source where it gives none, and a load
# never overwrites what staff entered (a row with a `details_source`).
PROCESS_DETAILS = ("typical_processes", "key_monitoring_parameters")

# 易制毒（第二类） → 第二类: the category as 《易制毒化学品的分类和品种目录》 names it.
_DRUG_CATEGORY = re.compile(r"^易制毒（(.+)）$")
# 苯(含粗苯) → 苯: a key-list name's qualifier in brackets is not part of the catalogue's name.
_QUALIFIER = re.compile(r"[（(].*?[)）]")


def read_rows(filename: str) -> list[dict[str, str]]:
    return [dict(row) for row in _parsed(filename)]


@cache
def _parsed(filename: str) -> tuple[dict[str, str], ...]:
    """The packaged files do not change while the process runs: each is parsed once."""
    text = resources.files("anjian.hazchem").joinpath("data", filename).read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


def key_list_names(row: dict[str, str]) -> set[str]:
    """汽油(含甲醇汽油、乙醇汽油)、石脑油 → {汽油, 石脑油}, with the row's aliases."""
    names = {name.strip() for name in _QUALIFIER.sub("", row["name"]).split("、")}
    return names | set(split_list(row["aliases"]))


def key_supervised_matchers() -> tuple[set[str], set[str]]:
    """The CAS numbers and the names (each name of a 、-joined cell, without its qualifier) of the key list."""
    numbers: set[str] = set()
    names: set[str] = set()
    for row in read_rows(KEY_CHEMICALS_FILE):
        numbers.update(split_list(row["cas"]))
        names.update(key_list_names(row))
    return numbers, names


def listed_as_key(chemical: Chemical) -> bool:
    """Whether the packaged 重点监管 list names `chemical` (by CAS, else by name or alias), as the loader matches."""
    numbers, names = key_supervised_matchers()
    return bool(set(chemical.cas_numbers) & numbers or {chemical.name, *chemical.alias_list} & names)


def catalogue_values(row: dict[str, str], key_numbers: set[str], key_names: set[str]) -> dict[str, Any]:
    drug = _DRUG_CATEGORY.match(row["yizhidu_category"])
    names = {row["name"], *split_list(row["aliases"])}
    return {
        "name": row["name"],
        "aliases": row["aliases"],
        "cas": row["cas"] or None,
        "highly_toxic": row["is_highly_toxic"] == "Y",
        "remark": row["remark"],
        "explosive_precursor": row["yizhibao_2017"] == "Y",
        "explosive_precursor_class": row["yizhibao_hazard_class"],
        "drug_precursor_category": drug.group(1) if drug else row["yizhidu_category"],
        "key_supervised": bool(set(split_list(row["cas"])) & key_numbers or names & key_names),
        "qa_flag": row["qa_flag"],
    }


def load_catalogue() -> int:
    """`anjian load-reference`: the 危险化学品目录（2015版）; answers how many catalogue rows the file holds."""
    key_numbers, key_names = key_supervised_matchers()
    wanted = {(int(row["seq"]), int(row["sub_row"])): catalogue_values(row, key_numbers, key_names)
              for row in read_rows(CATALOGUE_FILE)}
    stored = {(chemical.catalogue_number, chemical.sub_row): chemical for chemical in Chemical.objects.all()}
    created: list[Chemical] = []
    changed: list[Chemical] = []
    for key, values in wanted.items():
        chemical = stored.get(key)
        if chemical is not None and chemical.key_supervised_source:
            values = {**values, "key_supervised": True}  # staff found it in a list the package lacks
        if chemical is None:
            chemical = Chemical(catalogue_number=key[0], sub_row=key[1], **values)
            chemical.refresh_initials()
            created.append(chemical)
        elif any(getattr(chemical, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(chemical, field, value)
            chemical.refresh_initials()
            changed.append(chemical)
    with transaction.atomic():
        Chemical.objects.bulk_create(created, batch_size=500)
        Chemical.objects.bulk_update(changed, [*CATALOGUE_FIELDS, "pinyin_initials"], batch_size=500)
    return len(wanted)


def load_key_processes() -> int:
    """`anjian load-reference`: the 18 重点监管危险化工工艺, keyed by their position in the list."""
    rows = read_rows(KEY_PROCESSES_FILE)
    with transaction.atomic():
        for row in rows:
            values = {field: row[field] for field in PROCESS_FIELDS}
            values["batch"] = int(values["batch"])
            stored = KeyProcess.objects.filter(number=int(row["seq"])).first()
            if stored is None or not stored.details_source:
                values.update({field: row[field] for field in PROCESS_DETAILS})
            if stored is None:
                KeyProcess.objects.create(number=int(row["seq"]), **values)
            elif any(getattr(stored, field) != value for field, value in values.items()):
                KeyProcess.objects.filter(pk=stored.pk).update(**values)
    return len(rows)


def unmatched_key_chemicals() -> list[str]:
    """Names of the key list that match no catalogue row (for data/SOURCES.md and its test)."""
    catalogue_numbers: set[str] = set()
    catalogue_names: set[str] = set()
    for row in read_rows(CATALOGUE_FILE):
        catalogue_numbers.update(split_list(row["cas"]))
        catalogue_names.update({row["name"], *split_list(row["aliases"])})
    missing = []
    for row in read_rows(KEY_CHEMICALS_FILE):
        names = key_list_names(row)
        if not (set(split_list(row["cas"])) & catalogue_numbers or names & catalogue_names):
            missing.append(row["name"])
    return missing


