"""Pages of the chemical catalogue (issue 9 item 1): the kit's generic views, configured. The catalogue and the key
processes are read by every signed-in role; city staff complete a chemical's hazard symbols and notes through
anjian.hazchem.services. Every queryset starts from `restrict()`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from anjian.core.views import ObjectDetailView, ObjectEditView, ObjectListView
from anjian.hazchem import properties, selectors, services
from anjian.hazchem.filtersets import ChemicalFilterSet, KeyProcessFilterSet
from anjian.hazchem.forms import ChemicalForm, KeyProcessForm
from anjian.hazchem.models import Chemical, KeyProcess
from anjian.hazchem.tables import ChemicalTable, KeyProcessTable


class ChemicalQuerySetMixin:
    model = Chemical
    url_base = "hazchem:chemical"

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.chemical_list(user=self.request.user, action=action)


class ChemicalListView(ChemicalQuerySetMixin, ObjectListView):
    """The list keeps the search's ranking (exact name or CAS first); without a search, catalogue order."""

    filterset_class = ChemicalFilterSet
    table_class = ChemicalTable
    template_name = "hazchem/chemical_list.html"

    def get_table(self, queryset: QuerySet) -> ChemicalTable:
        table = super().get_table(queryset)
        query = (self.request.GET.get("q") or self.request.GET.get("search") or "").strip()
        if query and not queryset.exists():
            # Nothing found: the nearest catalogue names, inside the list that the filter form's htmx swaps.
            nearest = selectors.nearest_names(query, selectors.chemical_list(user=self.request.user))
            if nearest:
                table.empty_text = _("目录中没有“%(query)s”。相近的品名：%(names)s") % {
                    "query": query, "names": "、".join(nearest)}
        return table


class ChemicalDetailView(ChemicalQuerySetMixin, ObjectDetailView):
    template_name = "hazchem/chemical_detail.html"
    detail_fields = ("catalogue_number", "sub_row", "name", "aliases", "cas", "highly_toxic", "remark",
                     "explosive_precursor", "explosive_precursor_class", "drug_precursor_category",
                     "key_supervised", "key_supervised_source", "gb18218_exempt_source", "notes", "qa_flag")

    def get_extra_context(self, obj: Chemical) -> dict:
        data = properties.data_for(obj.cas_numbers)
        return {**super().get_extra_context(obj), "physical": data,
                "physical_rows": properties.shown_properties(data) if data else []}


class ChemicalEditView(ChemicalQuerySetMixin, ObjectEditView):
    form_class = ChemicalForm
    service = services.chemical_save
    service_arg = "chemical"


class KeyProcessQuerySetMixin:
    model = KeyProcess
    url_base = "hazchem:keyprocess"

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.key_process_list(user=self.request.user, action=action)


class KeyProcessDetailView(KeyProcessQuerySetMixin, ObjectDetailView):
    detail_fields = ("number", "batch", "name", "typical_processes", "key_monitoring_parameters", "details_source",
                     "note")


class KeyProcessEditView(KeyProcessQuerySetMixin, ObjectEditView):
    form_class = KeyProcessForm
    service = services.key_process_save
    service_arg = "process"


class KeyProcessListView(ObjectListView):
    model = KeyProcess
    url_base = "hazchem:keyprocess"
    filterset_class = KeyProcessFilterSet
    table_class = KeyProcessTable

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.key_process_list(user=self.request.user, action=action)
