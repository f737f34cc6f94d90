"""Loading the shipped checklists (issue 8 item 1) from anjian/hazards/data/checklists/ (see SOURCES.md there).

A shipped checklist's version 1 is created once, published and marked official. A reload compares each file with
the newest official version of its code: the same text changes nothing; a changed text becomes a new published
version, and the version in use is retired in the same transaction. A published version is never edited in place
(anjian.hazards.services_checklists refuses that for people too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.enterprises.choices import SupervisionDomain
from anjian.hazards.choices import ChecklistStatus, HazardCategory
from anjian.hazards.models import Checklist, ChecklistItem

DATA_DIR = ("data", "checklists")
CHECKLIST_FIELDS = ("title", "domain", "basis", "criteria", "note")
ITEM_FIELDS = ("number", "text", "basis", "clause", "category", "major", "provisional")


@dataclass(frozen=True)
class ShippedChecklist:
    """One checklist as a data file gives it: its fields and its items (dicts of ITEM_FIELDS)."""

    code: str
    fields: dict[str, Any]
    items: tuple[dict[str, Any], ...]

    def signature(self) -> tuple:
        return (tuple(self.fields[name] for name in CHECKLIST_FIELDS),
                tuple(tuple(item[name] for name in ITEM_FIELDS) for item in self.items))


def _item(raw: dict[str, Any], source: str) -> dict[str, Any]:
    item = {
        "number": int(raw["number"]),
        "text": str(raw["text"]).strip(),
        "basis": str(raw.get("basis", "")),
        "clause": str(raw.get("clause", "")),
        "category": str(raw.get("category") or HazardCategory.SITE_OTHER),
        "major": bool(raw.get("major", False)),
        "provisional": bool(raw.get("provisional", False)),
    }
    if item["category"] not in HazardCategory.values:
        raise ValueError(f"{source}: item {item['number']} has unknown category {item['category']!r}")
    if not item["text"]:
        raise ValueError(f"{source}: item {item['number']} has no text")
    return item


def shipped_checklists() -> list[ShippedChecklist]:
    """Every checklist the data files describe (a file with `variants` gives one per listed domain)."""
    folder = resources.files("anjian.hazards").joinpath(*DATA_DIR)
    found: list[ShippedChecklist] = []
    for entry in sorted(folder.iterdir(), key=lambda path: path.name):
        if not entry.name.endswith(".json"):
            continue
        document = json.loads(entry.read_text(encoding="utf-8"))
        items = tuple(_item(raw, entry.name) for raw in document["items"])
        numbers = [item["number"] for item in items]
        if len(set(numbers)) != len(numbers):
            raise ValueError(f"{entry.name}: item numbers repeat")
        common = {"basis": document.get("basis", ""), "criteria": bool(document.get("criteria", False)),
                  "note": document.get("note", "")}
        variants = document.get("variants") or [
            {"code": document["code"], "domain": document.get("domain", ""), "title": document["title"]}
        ]
        for variant in variants:
            domain = variant.get("domain", "")
            if domain and domain not in SupervisionDomain.values:
                raise ValueError(f"{entry.name}: unknown domain {domain!r}")
            fields = {**common, "title": variant["title"], "domain": domain}
            found.append(ShippedChecklist(code=variant["code"], fields=fields, items=items))
    codes = [checklist.code for checklist in found]
    if len(set(codes)) != len(codes):
        raise ValueError("checklist codes repeat across the data files")
    return found


def stored_signature(checklist: Checklist) -> tuple:
    items = checklist.items.order_by("number").values_list(*ITEM_FIELDS)
    return (tuple(getattr(checklist, name) for name in CHECKLIST_FIELDS), tuple(tuple(row) for row in items))


def load_shipped(shipped: ShippedChecklist, *, now: Any = None) -> bool:
    """Store one shipped checklist if its text is new; answer whether a version was created."""
    now = now or timezone.now()
    latest_official = Checklist.objects.filter(code=shipped.code, official=True).order_by("-version").first()
    if latest_official is not None and stored_signature(latest_official) == shipped.signature():
        return False
    with transaction.atomic():
        version = (Checklist.objects.filter(code=shipped.code).aggregate(top=Max("version"))["top"] or 0) + 1
        in_use = list(Checklist.objects.select_for_update().filter(code=shipped.code,
                                                                    status=ChecklistStatus.PUBLISHED))
        for old in in_use:
            # Retired before the new one is published: one version of a code is in use at a time.
            old.status = ChecklistStatus.RETIRED
            old.save(update_fields=["status", "updated"])
            audit.record(actor=None, action=audit.name(Checklist, "retire"), obj=old,
                         reason=_("系统内置清单已更新为新版本"), data={"from": ChecklistStatus.PUBLISHED,
                                                                    "to": ChecklistStatus.RETIRED})
        checklist = Checklist.objects.create(code=shipped.code, version=version, official=True,
                                             status=ChecklistStatus.PUBLISHED, published_at=now, **shipped.fields)
        ChecklistItem.objects.bulk_create(ChecklistItem(checklist=checklist, **item) for item in shipped.items)
        audit.record(actor=None, action=audit.name(Checklist, "publish"), obj=checklist,
                     reason=_("系统内置清单"), data={"version": version, "items": len(shipped.items)})
    return True


def load_checklists() -> int:
    """`anjian load-reference`: every shipped checklist; answers how many checklists the files hold."""
    shipped = shipped_checklists()
    for checklist in shipped:
        load_shipped(checklist)
    return len(shipped)
