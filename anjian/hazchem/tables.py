"""Tables of the catalogue (UI lists and their exports)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from anjian.core.tables import BaseTable
from anjian.hazchem.models import Chemical, KeyProcess

YES_NO = (_("是"), _("否"))


class ChemicalTable(BaseTable):
    catalogue_number = tables.Column()
    name = tables.Column(linkify=True)
    aliases = tables.Column()
    cas = tables.Column()
    highly_toxic = tables.BooleanColumn(yesno=YES_NO)
    explosive_precursor = tables.BooleanColumn(yesno=YES_NO)
    drug_precursor_category = tables.Column()
    key_supervised = tables.BooleanColumn(yesno=YES_NO)

    class Meta(BaseTable.Meta):
        model = Chemical
        fields = ("catalogue_number", "name", "aliases", "cas", "highly_toxic", "explosive_precursor",
                  "drug_precursor_category", "key_supervised")


class KeyProcessTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = KeyProcess
        fields = ("number", "name", "batch", "typical_processes", "key_monitoring_parameters")
