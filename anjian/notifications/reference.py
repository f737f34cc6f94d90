"""Loading the packaged notification templates (issue 6 item 5: templates are data with Chinese text)."""

from __future__ import annotations

import csv
from importlib import resources

from django.db import transaction

from anjian.notifications.models import NotificationTemplate

TEMPLATE_FILE = "templates.csv"


def packaged_templates() -> list[dict[str, object]]:
    with (resources.files("anjian.notifications") / "data" / TEMPLATE_FILE).open(encoding="utf-8") as handle:
        return [
            {
                "kind": row["kind"].strip(),
                "title": row["title"],
                "body": row["body"],
                "channels": [name.strip() for name in row["channels"].split(",") if name.strip()],
            }
            for row in csv.DictReader(handle)
        ]


@transaction.atomic
def load_templates() -> int:
    """Create or update every packaged template, except those an administrator has customized."""
    rows = packaged_templates()
    existing = {template.kind: template for template in NotificationTemplate.objects.all()}
    for row in rows:
        template = existing.get(row["kind"]) or NotificationTemplate(kind=row["kind"])
        if template.customized:
            continue
        template.title, template.body, template.channels = row["title"], row["body"], row["channels"]
        template.full_clean()
        template.save()
    return len(rows)
