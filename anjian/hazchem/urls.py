"""Routes of the chemical catalogue pages (issue 9 item 1)."""

from django.urls import path

from anjian.hazchem import views
from anjian.hazchem.urls_ledgers import urlpatterns as ledger_urls

app_name = "hazchem"

urlpatterns = [
    path("chemicals/", views.ChemicalListView.as_view(), name="chemical_list"),
    path("chemicals/<int:pk>/", views.ChemicalDetailView.as_view(), name="chemical_detail"),
    path("chemicals/<int:pk>/edit/", views.ChemicalEditView.as_view(), name="chemical_edit"),
    path("key-processes/", views.KeyProcessListView.as_view(), name="keyprocess_list"),
    *ledger_urls,
]
