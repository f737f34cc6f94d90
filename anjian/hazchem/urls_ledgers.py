"""Routes of the ledgers and transport pages (issue 9 item 3), joined into hazchem's urls.py."""

from django.urls import path

from anjian.hazchem import views_ledgers as views

urlpatterns = [
    path("ledger/<int:pk>/", views.LedgerView.as_view(), name="ledger"),
    path("balances/", views.StockBalanceListView.as_view(), name="stockbalance_list"),
    path("movements/", views.StockMovementListView.as_view(), name="stockmovement_list"),
    path("movements/add/", views.StockMovementRecordView.as_view(), name="stockmovement_add"),
    path("movements/<int:pk>/", views.StockMovementDetailView.as_view(), name="stockmovement_detail"),
    path("movements/<int:pk>/reverse/", views.StockMovementReverseView.as_view(), name="stockmovement_reverse"),
    path("vehicles/", views.HazmatVehicleListView.as_view(), name="hazmatvehicle_list"),
    path("vehicles/add/", views.HazmatVehicleEditView.as_view(), name="hazmatvehicle_add"),
    path("vehicles/<int:pk>/", views.HazmatVehicleDetailView.as_view(), name="hazmatvehicle_detail"),
    path("vehicles/<int:pk>/edit/", views.HazmatVehicleEditView.as_view(), name="hazmatvehicle_edit"),
    path("trips/", views.TripListView.as_view(), name="trip_list"),
    path("trips/add/", views.TripEditView.as_view(), name="trip_add"),
    path("trips/<int:pk>/", views.TripDetailView.as_view(), name="trip_detail"),
    path("trips/<int:pk>/edit/", views.TripEditView.as_view(), name="trip_edit"),
]
