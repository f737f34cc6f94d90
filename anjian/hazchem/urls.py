"""Routes of the hazchem pages: the chemical catalogue (issue 9 item 1), hazard units and the 重大危险源 register
(item 2), and the ledgers and transport (item 3, urls_ledgers)."""

from django.urls import path

from anjian.hazchem import urls_ledgers, views, views_import_units, views_units

app_name = "hazchem"

urlpatterns = [
    path("chemicals/", views.ChemicalListView.as_view(), name="chemical_list"),
    path("chemicals/<int:pk>/", views.ChemicalDetailView.as_view(), name="chemical_detail"),
    path("chemicals/<int:pk>/edit/", views.ChemicalEditView.as_view(), name="chemical_edit"),
    path("key-processes/", views.KeyProcessListView.as_view(), name="keyprocess_list"),
    path("key-processes/<int:pk>/", views.KeyProcessDetailView.as_view(), name="keyprocess_detail"),
    path("key-processes/<int:pk>/edit/", views.KeyProcessEditView.as_view(), name="keyprocess_edit"),
    path("units/", views_units.HazardUnitListView.as_view(), name="hazardunit_list"),
    path("units/import/", views_import_units.UnitImportView.as_view(), name="hazardunit_import"),
    path("units/import/template/", views_import_units.UnitImportTemplateView.as_view(),
         name="hazardunit_import_template"),
    path("units/add/", views_units.HazardUnitEditView.as_view(), name="hazardunit_add"),
    path("units/<int:pk>/", views_units.HazardUnitDetailView.as_view(), name="hazardunit_detail"),
    path("units/<int:pk>/edit/", views_units.HazardUnitEditView.as_view(), name="hazardunit_edit"),
    path("units/<int:pk>/delete/", views_units.HazardUnitDeleteView.as_view(), name="hazardunit_delete"),
    path("major-hazards/", views_units.MajorHazardListView.as_view(), name="majorhazard_list"),
    path("major-hazards/<int:pk>/", views_units.MajorHazardDetailView.as_view(), name="majorhazard_detail"),
    path("major-hazards/<int:pk>/edit/", views_units.MajorHazardEditView.as_view(), name="majorhazard_edit"),
    *urls_ledgers.urlpatterns,
]
