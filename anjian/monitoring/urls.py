from django.urls import path

from anjian.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("sensors/", views.SensorListView.as_view(), name="sensor_list"),
    path("sensors/add/", views.SensorEditView.as_view(), name="sensor_add"),
    path("sensors/<int:pk>/", views.SensorDetailView.as_view(), name="sensor_detail"),
    path("sensors/<int:pk>/edit/", views.SensorEditView.as_view(), name="sensor_edit"),
]
